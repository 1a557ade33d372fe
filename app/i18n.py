"""Interface text in Chinese (first) and English.

Only the app's own wording lives here. Parameter, indicator, target and
scenario names come from the registry, the indicator list, the target list
and the scenario files, each of which carries both languages.
"""

from __future__ import annotations

from growthsim.settings import DEFAULT_LANG, LANGS  # noqa: E402,F401 - the settings' languages, re-exported

# key -> (中文, English). Placeholders use str.format names.
STRINGS: dict[str, tuple[str, str]] = {
    # --- shell
    "app_title": ("青岛工业增长目标情景模拟", "Qingdao industrial growth targets: scenario simulator"),
    "lang_switch": ("English", "English"),
    "lang_switch_help": ("切换为英文界面", "Show the interface in English (off: Chinese)"),
    "page": ("页面", "Page"),
    "run_facts": ("{draws} 次蒙特卡洛模拟 · 随机种子 {seed} · 基年 {base_year} · 数据截至 {through} · 预测至 {horizon} 年",
                  "{draws} Monte Carlo draws · seed {seed} · base year {base_year} · data through {through} · "
                  "projected to {horizon}"),
    "dismiss": ("知道了", "Dismiss"),
    # --- widgets (Streamlit's own texts replaced)
    "choose": ("请选择", "Choose"),
    "upload_drop": ("将文件拖放到此处，或点击右侧按钮选择", "Drag and drop a file here, or browse"),
    "upload_limit": ("单个文件不超过 {mb} MB", "Up to {mb} MB per file"),
    "upload_browse": ("选择文件", "Browse files"),
    # --- targets read honestly
    "col_rule": ("目标（原文）", "Target (as written)"),
    "col_reading": ("模型判定", "Read as"),
    "col_status": ("实际情况", "Outcome"),
    "assumption_driven_note": ("“由假设决定”的目标，其结果由所列假设的取值直接决定，不计入上面的达成统计。",
                               "Targets marked “set by assumption” follow directly from that assumption's value; "
                               "they are left out of the count above."),
    "reported_note": ("已公布年份的目标列出实际值和是否达成，不再给出模型概率；该年数字尚未收录（可能已公布）的，列出按已收录数据"
                      "估计的达成概率（标“估计”）。",
                      "Targets of reported years list the reported value and whether it was met, not a model probability; "
                      "where the year's figure is not yet in the data (it may have been published), the probability "
                      "estimated from the figures that are (marked “estimated”)."),
    "about_rule": ("“左右”的判定：预测值不低于“目标 − 容差”即算达成（容差见“模型判定”列；原文未给出容差，属假设）。",
                   "“About” is met when the value is at least the target minus the tolerance (shown under "
                   "“Read as”; the documents give no tolerance, so it is an assumption)."),
    "gap_unit_pp": ("个百分点", "points"),
    "vs_base_unit": ("个百分点", "points"),
    "compact_title": ("尚未到期的目标", "Targets still ahead"),
    "more_below": ("完整记分卡、全部图表和导出见下方。", "The full scorecard, every chart and the exports are below."),
    # --- settings
    "settings": ("模拟设置", "Simulation settings"),
    "draws": ("模拟次数", "Draws"),
    "draws_help": ("每个情景的蒙特卡洛模拟次数。次数越多，区间和概率越稳定，计算越慢。",
                   "Monte Carlo draws per scenario. More draws give steadier bands and probabilities, but take longer."),
    "seed": ("随机种子", "Random seed"),
    "seed_help": ("相同的输入和种子总是给出相同的数字。所有情景共用同一组随机数，情景之间的差异来自设定而非随机性。",
                  "The same inputs and seed always give the same numbers. All scenarios share the random numbers, "
                  "so a difference between scenarios comes from their settings, not from chance."),
    "horizon": ("预测终年", "Projection horizon"),
    "through": ("数据截至", "Data through"),
    "through_help": ("只用截至该年的统计数据进行标定（回测）。", "Calibrate on reported figures up to this year only (back-test)."),
    "number_fields": ("用数字框输入", "Number fields instead of sliders"),
    "number_fields_help": ("以数字框代替滑块，便于输入精确数值。", "Type exact values instead of dragging sliders."),
    # --- editor
    "editor": ("情景假设", "Scenario assumptions"),
    "levers": ("政策杠杆（政府可调）", "Policy levers (set by the bureau)"),
    "levers_caption": ("市工信局可以调整的政策力度。", "What the bureau can decide."),
    "uncertainties": ("不确定因素（外部假设）", "Uncertainties (assumptions about the outside world)"),
    "uncertainties_caption": ("政府无法控制的外部条件；改变它们是改变假设，不是政策效果。",
                              "Conditions the bureau does not control; changing them changes assumptions, not policy."),
    "help_default": ("默认值", "Default"),
    "help_calibrated": ("标定值（基准情景采用）", "Calibrated value (used by the baseline)"),
    "help_range": ("范围", "Range"),
    "help_source": ("来源", "Source"),
    "help_drawn_triangular": ("模拟中在上下限之间按三角分布抽样，滑块设定分布中心。",
                              "Drawn from a triangular distribution between the bounds; the slider sets its centre."),
    "help_drawn_calibrated": ("模拟中按标定的后验分布抽样，滑块设定分布中心。",
                              "Drawn from the calibration's posterior; the slider sets its centre."),
    "year_values_note": ("分年设定：{path}", "Year by year: {path}"),
    "year_editor": ("按年份设定", "Year-by-year values"),
    "year_editor_caption": ("某年起取新值（直到下一个设定年份）；首个设定年份之前采用滑块的值。",
                            "A value holds from its year until the next listed year; before the first listed year "
                            "the slider's value applies."),
    "year_param": ("参数", "Parameter"),
    "year_col": ("起始年份", "From year"),
    "value_col": ("取值", "Value"),
    "year_path": ("取值路径：{path}", "Path: {path}"),
    "year_table_error": ("分年设定未应用，仍使用之前的有效设定：{problem}",
                         "Year-by-year values not applied; the previous valid values stay in use: {problem}"),
    "year_incomplete": ("未填完整的行已忽略。", "Incomplete rows are ignored."),
    "from_year": ("{year}年起", "from {year}"),
    # --- save / load
    "save_load": ("保存与载入", "Save and load"),
    "scenario_name": ("情景名称", "Scenario name"),
    "save": ("保存情景", "Save scenario"),
    "save_help": ("保存到服务器上的情景文件夹，可在“情景比较”中选用，并可随时下载。",
                  "Saves into the server's scenario folder; it then appears under Compare and can be downloaded."),
    "saved_ok": ("已保存为 {file}", "Saved as {file}"),
    "save_failed": ("保存失败：{problem}", "Could not save: {problem}"),
    "download_toml": ("下载情景文件 (TOML)", "Download scenario file (TOML)"),
    "upload": ("上传情景文件 (TOML)", "Upload a scenario file (TOML)"),
    "upload_help": ("上传的情景会载入滑块，并加入可比较的情景。", "An uploaded scenario is loaded into the sliders and "
                    "added to the scenarios you can compare."),
    "upload_ok": ("已载入 {title}（{n} 项设定）", "Loaded {title} ({n} values)"),
    "upload_error": ("文件未载入，仍使用之前的有效设定。问题：{problem}",
                     "File not loaded; the previous valid settings stay in use. Problem: {problem}"),
    "not_utf8": ("{name}: 不是 UTF-8 文本", "{name}: not UTF-8 text"),
    "load_into_editor": ("把情景载入滑块", "Load a scenario into the sliders"),
    "load": ("载入", "Load"),
    "reset": ("恢复基准情景", "Reset to the baseline"),
    "saved_problems": ("情景文件夹中有无法读取的文件（已跳过）：", "Unreadable files in the scenario folder (skipped):"),
    # --- URL
    "url_error": ("链接中的参数有误，已忽略，页面沿用之前的有效设定：", "The link has invalid parameters; they were ignored "
                  "and the page keeps the previous valid settings:"),
    "url_values_ignored": ("为免显示链接本意之外的数字，链接中其余的情景设定也未应用：{keys}。",
                           "So that no number is shown that the link did not mean, its other scenario settings were "
                           "not applied either: {keys}."),
    "share": ("分享：当前页面的网址已包含全部设定，复制网址即可重现此视图。",
              "Share: the page's address holds every setting; copy it to reproduce this view."),
    # --- pages
    "page_projections": ("情景预测", "Projections"),
    "page_compare": ("情景比较", "Compare scenarios"),
    "page_calibration": ("标定依据", "Calibration"),
    # --- projections page
    "proj_intro": ("各指标的中位数路径（实线）、80%区间（阴影，P10–P90）、已公布的统计数据（圆点）和规划目标（星号）。"
                   "调整左侧滑块，路径和达成概率随即更新。",
                   "Each indicator's central path (line), 80% band (shaded, P10–P90), reported figures (dots) and "
                   "plan targets (stars). Move a slider on the left and the paths and probabilities update at once."),
    "changes_none": ("当前为基准情景（未调整任何假设）。", "Currently the baseline (no assumption changed)."),
    "changes_some": ("已调整 {n} 项：", "{n} changed:"),
    "scorecard": ("目标达成记分卡", "Target scorecard"),
    "scorecard_summary": ("尚未到期的 {total} 个规划目标中：{green} 个很可能达成（概率≥{likely}），{amber} 个有望达成"
                          "（{possible_n}–{likely}），{red} 个难以达成（<{possible}）。",
                          "Of {total} plan targets still ahead: {green} likely (probability ≥{likely}), {amber} possible "
                          "({possible_n}–{likely}), {red} unlikely (<{possible})."),
    "scorecard_legend": ("差距 = 预测中位数 − 目标值。达成概率 = 达到目标的模拟所占比例。“较基准”为达成概率相对基准情景的变化（百分点）。"
                         "已过去年份的目标列出实际值，作为回测。",
                         "Gap = projected median − target. Probability = share of draws meeting the target. "
                         "'vs baseline' is the change in probability from the baseline (points). Targets in past "
                         "years list the reported value as a back-test."),
    "untracked": ("模型未覆盖的目标（{n} 个）", "Targets the model does not cover ({n})"),
    # --- the year ahead first: targets still open, this year's standing, then the 14th plan's review
    "ahead_title": ("目标展望（{first}–{last} 年）", "Targets ahead ({first}–{last})"),
    "ahead_none": ("预测期内（{first}–{last} 年）尚无已收录的规划目标。第十五个五年规划的目标公布后加入目标文件即可显示。",
                   "No recorded plan target falls in {first}–{last}. Add the 15th plan's targets to the targets file "
                   "once they are published and they show here."),
    "ahead_table": ("尚未到期的目标", "Targets still ahead"),
    "standing_title": ("{year} 年进展（年内监测）", "{year} so far (in-year monitoring)"),
    "standing_none": ("数据中暂无 {year} 年的月度数字；最近的年内监测为 {last} 年。",
                      "No monthly figure for {year} is in the data yet; the latest in-year monitoring is {last}."),
    "standing_row": ("{target}：1–{month}月 {so_far}，{status}", "{target}: January–month {month} {so_far}, {status}"),
    "standing_link": ("打开年内监测", "Open in-year monitoring"),
    "review_title": ("十四五回顾（{first}–{last} 年目标，{n} 个）", "14th plan review ({first}–{last} targets, {n})"),
    "level_green": ("▲ 很可能", "▲ likely"),
    "level_amber": ("◆ 有望", "◆ possible"),
    "level_red": ("▼ 难以", "▼ unlikely"),
    "level_grey": ("■ 由假设决定", "■ set by assumption"),
    "run_facts_title": ("运行设定", "Run settings"),
    "charts": ("指标路径", "Indicator paths"),
    "charts_which": ("显示指标", "Show"),
    "charts_headline": ("主要指标（{n}）", "Headline ({n})"),
    "charts_targeted": ("有规划目标的指标（{n}）", "Indicators with targets ({n})"),
    "charts_all": ("全部指标（{n}）", "All indicators ({n})"),
    "charts_none": ("不显示图表", "No charts"),
    "charts_which_help": ("“不显示图表”只保留记分卡、表格和导出，调整滑块后更新更快。",
                          "“No charts” keeps the scorecard, the tables and the exports: quicker updates after a slider change."),
    "exports": ("导出", "Export"),
    "excel": ("下载 Excel 工作簿", "Download Excel workbook"),
    "csv_proj": ("下载预测表 (CSV)", "Download projections (CSV)"),
    "csv_targets": ("下载目标表 (CSV)", "Download targets (CSV)"),
    "png_hint": ("图表可通过右上角相机图标下载为 PNG。", "Download any chart as PNG with the camera icon at its top right."),
    "cli_equivalent": ("命令行等价操作（下载情景文件后运行，得到同样的工作簿）：",
                       "Same workbook from the command line (after downloading the scenario file):"),
    "cli_button": ("命令行", "Command line"),
    "year_table_button": ("编辑逐年数值", "Edit the year-by-year values"),
    # --- table columns
    "col_target": ("目标", "Target"),
    "col_indicator": ("指标", "Indicator"),
    "col_unit": ("单位", "Unit"),
    "col_year": ("年份", "Year"),
    "col_target_value": ("目标值", "Target value"),
    "col_p50": ("预测中位数", "Projected median"),
    "col_band": ("80%区间", "80% band"),
    "col_gap": ("差距", "Gap"),
    "col_prob": ("达成概率", "Probability"),
    "col_vs_base": ("较基准", "vs baseline"),
    "col_reported": ("实际值", "Reported"),
    "col_reason": ("原因", "Reason"),
    "col_scenario": ("情景", "Scenario"),
    "col_source": ("来源", "Source"),
    "col_quote": ("引文", "Quote"),
    "col_model": ("模型值", "Model"),
    "col_residual": ("残差", "Residual"),
    "col_tolerance": ("容差", "Tolerance"),
    "col_within": ("在容差内", "Within"),
    "col_role": ("用途", "Role"),
    "col_note": ("说明", "Note"),
    "col_checked": ("引文核对", "Quote check"),
    "col_parameter": ("参数", "Parameter"),
    "col_estimate": ("估计值", "Estimate"),
    "col_sd": ("标准差", "Std. dev."),
    "col_prior": ("先验中心（登记默认值）", "Prior centre (registry default)"),
    "past": ("已过去", "past"),
    "chart_band": ("80%区间 P10–P90", "80% band P10–P90"),
    "chart_p50": ("中位数 P50", "Median P50"),
    "chart_reported": ("实际值", "Reported"),
    "chart_target": ("目标", "Target"),
    "chart_prob": ("概率 {p}", "probability {p}"),
    "chart_met": ("✓ 达成", "✓ met"),
    "chart_not_met": ("✗ 未达成", "✗ not met"),
    "chart_estimated_prob": ("数据暂无 · 估计 {p}", "not in data · est. {p}"),
    "chart_estimated": ("估计值（数据中暂无）", "Estimate (not yet in the data)"),
    # a chart's text alternative (a screen reader reads it instead of the tick labels)
    "alt_head": ("{name}（{unit}）图：", "Chart of {name} ({unit}): "),
    "alt_reported": ("最近公布值 {year} 年 {value}", "last reported {value} in {year}"),
    "alt_path": ("{name}中位数 {year} 年 {p50}（80%区间 {band}）", "{name} median {p50} in {year} (80% band {band})"),
    "alt_assumed": ("{name} {year} 年 {p50}（假设路径）", "{name} {p50} in {year} (assumed path)"),
    "alt_target": ("目标 {year} 年 {rule}：{outcome}", "target {rule} in {year}: {outcome}"),
    "cal_inside": ("✓ 在容差内", "✓ within tolerance"),
    "cal_outside": ("✗ 超出容差", "✗ outside tolerance"),
    "alt_calibration": ("{n} 个公布数字的拟合残差，{out} 个超出容差。",
                        "Fit residuals of {n} reported figures; {out} outside their tolerance."),
    # --- compare page
    "compare_intro": ("默认比较三条线：**基准情景**（官方假设）、**基准+调整假设**（同样的政策，加上你在左侧修改的设定）"
                      "和**强化政策**（政策情景）。前两者之差是假设变化的影响，政策效果是政策情景与基准情景之差。",
                      "By default three lines: the **baseline** (official assumptions), the **baseline with your changed "
                      "assumptions** (same policy, plus what you changed on the left) and **intensified policy** (the "
                      "policy scenario). The gap between the first two is the effect of changed assumptions; the "
                      "effect of policy is the policy scenario against the baseline."),
    "compare_pick": ("选择 2–4 个情景", "Pick 2 to 4 scenarios"),
    "compare_need_two": ("请至少选择 2 个情景进行比较。", "Pick at least 2 scenarios to compare."),
    "compare_same": ("提示：尚未调整任何假设，“基准+调整假设”与基准情景相同。",
                     "Note: no assumption has been changed yet, so 'baseline + your changes' equals the baseline."),
    "compare_targets": ("目标达成比较", "Targets by scenario"),
    "compare_bands": ("显示 80% 区间", "Show 80% bands"),
    "diff_table": ("情景差值表", "Difference table"),
    "diff_ref": ("对照情景", "Compared against"),
    "diff_caption": ("各指标逐年的中位数差值：情景 − 对照情景（单位同指标）。",
                     "Each indicator's median by year: scenario minus the reference (in the indicator's unit)."),
    "edited_title": ("基准+调整假设", "Baseline + your changes"),
    "edited_desc": ("基准情景加上左侧滑块和分年设定中的修改。", "The baseline plus the changes made with the sliders "
                    "and year-by-year values."),
    "policy_edited_title": ("强化政策+调整假设", "Intensified policy + your changes"),
    "policy_edited_desc": ("强化政策情景，再加上左侧的修改（你的设定优先）。", "The intensified policy scenario plus "
                           "your changes (yours take precedence)."),
    "uploaded_suffix": ("（上传）", " (uploaded)"),
    "saved_suffix": ("（已保存）", " (saved)"),
    # --- calibration page
    "cal_intro": ("模型用下列已公布的统计数据标定：粒子滤波从起始年的公布值出发，逐年用公布的全年数据更新未知参数和状态，"
                  "已公布的年度流量（如升规企业数）在当年直接采用；预测从最近公布年份的滤波状态出发。"
                  "每个数字都附有来源（本地存档文件的标题，或网页的发布者、日期和链接）和原文引文。",
                  "The model is calibrated on the reported figures below: a particle filter starts from the start "
                  "year's reported figures and, year by year, weighs the full-year figures to update the unknown "
                  "parameters and the state; reported yearly flows (such as firm upgrades) are imposed in their year. "
                  "Projections start from the filtered state of the last reported year. Every figure carries its "
                  "source (the archived document's title, or the web page's publisher, date and link) and the quoted "
                  "sentence."),
    "cal_base": ("滤波起始年 {start}，数据截至 {through}，预测起点 {base_year} 年；共 {n} 条统计数据（其中 {web} 条引自网页），"
                 "{fit} 条进入标定（全年数据；某年没有全年数时，其最新的年内累计数按年内监测的误差模型代表全年）；"
                 "其余年内累计数用于年内监测，背景数据不进入模型。",
                 "Filter from {start}, data through {through}, projections from {base_year}; {n} reported figures "
                 "({web} cited from web pages), {fit} weighed by the calibration (full-year figures; where a year has "
                 "none, its latest partial-year figure stands for it through the monitoring's error model); the "
                 "other partial-year figures serve the in-year monitoring, context figures are not modelled."),
    "cal_web_sources": ("网页来源（{pages} 个网页，{n} 条数据）", "Web sources ({pages} pages, {n} figures)"),
    "cal_web_note": ("以下数据引自网页；本地未存网页原文，引文在整理数据时逐条核对，此处不再核对。点击链接可查看原网页。",
                     "These figures are cited from web pages; no local copy is kept, so the quotes were checked one by "
                     "one when the data were collected and are not checked here. Follow a link to read the page."),
    "cal_table": ("统计数据与模型拟合", "Reported figures and the model's fit"),
    "cal_fitted": ("拟合的参数", "Fitted parameters"),
    "cal_chart": ("拟合残差（以容差为单位）", "Fit residuals (in tolerances)"),
    "cal_sources": ("来源文件", "Source files"),
    "cal_source_pick": ("查看来源文件", "Read a source file"),
    "cal_quotes_in": ("该文件中引用的语句（行号）：", "Sentences quoted from this file (line numbers):"),
    "cal_full_text": ("全文", "Full text"),
    "quote_found": ("✓ 见第 {line} 行", "✓ line {line}"),
    "quote_missing": ("✗ 未在来源中找到", "✗ not found in the source"),
    "within_yes": ("✓", "✓"),
    "within_no": ("✗", "✗"),
    "role_base": ("基年起点", "base"),
    "role_fit": ("拟合", "fit"),
    "role_force": ("当年采用", "imposed"),
    "role_derive": ("推导参数", "derives a parameter"),
    "role_check": ("核对", "check"),
    "role_context": ("背景（未建模）", "context (not modelled)"),
    "role_observed": ("拟合（观测）", "fitted (observed)"),
    "role_monitoring": ("年内监测（不参与拟合）", "in-year monitoring (not fitted)"),
    "role_superseded": ("已被新版本取代（不参与拟合）", "superseded by a later vintage (not fitted)"),
    "role_unused": ("起始年之前（未使用）", "before the start year (not used)"),
    "quote_web": ("网页来源（本地未存原文，未核对）", "web source (no local copy; not checked)"),
    "cal_axis": ("（模型值 − 实际值）/ 容差", "(model − reported) / tolerance"),
    "col_figure_status": ("口径", "Status"),
    "col_document": ("来源文件", "Document"),
    "col_file": ("文件名", "File"),
    "not_applicable": ("—", "—"),
}

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
    """The text for ``key`` in ``lang``, formatted with ``fmt``."""
    zh, en = STRINGS[key]
    text = en if lang == "en" else zh
    return text.format(**fmt) if fmt else text


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
