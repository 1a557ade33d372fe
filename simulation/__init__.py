"""The model core: the annual model, the event engine and the parameter, indicator and target declarations.

Pure: no file I/O and no Streamlit (tests/test_purity.py checks it); random numbers only from an
explicitly passed numpy Generator.
"""
