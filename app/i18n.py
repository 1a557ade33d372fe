"""The app's interface text: the catalogue's ``app`` entries (growthsim/i18n/catalogue/app.toml), by key.

Parameter, indicator, target and scenario names come from the registry, the indicator list, the target
list and the scenario files, each of which carries both languages. Streamlit's own words (its buttons and
menus) are listed here, English to Chinese, for the browser to replace.
"""

from __future__ import annotations

from growthsim.i18n import text
from growthsim.settings import DEFAULT_LANG, LANGS  # noqa: E402,F401 - the settings' languages, re-exported

# Streamlit's and the charts' own words (buttons, menus, tooltips, the running indicator): English in Streamlit,
# put in the reader's language in the browser (app.style.language_script), as Streamlit offers no setting for them.
STREAMLIT_WORDS: dict[str, str] = {
    "Download as PNG": "下载 PNG 图片", "Download as CSV": "下载 CSV", "Show data": "显示数据",
    "Show chart": "显示图表", "Fullscreen": "全屏", "Close fullscreen": "退出全屏", "Toggle fullscreen": "切换全屏",
    "Search": "搜索", "Show/hide columns": "显示/隐藏列", "Main menu": "主菜单", "Rerun": "重新运行",
    "Settings": "设置", "Print": "打印", "Record a screencast": "录制屏幕", "About": "关于", "Clear cache": "清除缓存",
    "Get help": "获取帮助", "Report a bug": "报告问题", "Close": "关闭", "Clear value": "清除", "Select all": "全选",
    "Clear all": "全部清除", "Open": "打开", "Running...": "运行中…", "Stop": "停止", "Select...": "请选择…",
    "Choose an option": "请选择", "No results": "无结果", "Collapse sidebar": "收起侧栏", "Expand sidebar": "展开侧栏",
    "Copy to clipboard": "复制到剪贴板", "Add row": "添加行", "Delete row": "删除行", "Clear selection": "清除选择",
    "Cancel": "取消", "App pages": "页面", "Skip to main content": "跳到正文", "Link to heading": "链接到此标题",
    "Increment": "增加", "Decrement": "减少", "Copy Vega-Lite spec": "复制图表规格", "Selected values": "已选项",
    "file upload": "上传文件",
}
# Streamlit's words with a label inside: (English pattern, Chinese), {0} the label as the page shows it.
STREAMLIT_PATTERNS: tuple[tuple[str, str], ...] = (("Help for {0}", "{0}的说明"), ("Remove {0}", "移除{0}"))

from growthsim.presentation import CALIBRATION_LABELS  # noqa: E402,F401 - re-exported


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The app's text ``key`` in ``lang``, formatted with ``fmt``: the catalogue's ``app.<key>``
    (growthsim/i18n/catalogue/app.toml).

    Parameters
    ----------
    key : str
        The text's key.
    lang : str
        ``zh`` or ``en``: the reader's language.
    **fmt
        The template's fields.
    """
    return text(f"app.{key}", lang, **fmt)


def pick(pair: tuple[str, str], lang: str) -> str:
    """One of a (zh, en) pair."""
    return pair[1] if lang == "en" else pair[0]


def md_escape(text: str) -> str:
    """Escape Markdown (and Streamlit's $…$ LaTeX) in text that came from a user or a file."""
    out = []
    for ch in str(text):
        if ch in "\\`*_{}[]<>()#+-.!|~$:":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)
