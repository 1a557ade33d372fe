"""The city packs (data only): one folder per city, ``qingdao`` the built-in default (calibration/city.py)."""
