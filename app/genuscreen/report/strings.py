"""Every word the reports print, in English ("en") and Simplified Chinese ("zh").

The reason for a recommendation is worded here from the rule that gave it
(``clinical.recommendation_rule``) and the result's numbers, so it reads the same in both
languages; quality problems are worded from their stable codes. English uses the pipeline's own
sentences where they exist.
"""

from __future__ import annotations

from genuscreen import clinical

LANGUAGES = ("en", "zh")

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Knee alignment screening report",
        "subtitle": "Screening for genu valgum (knock-knees) from a video of the child walking",
        "footer": "Screening support, not a diagnosis",
        "colon": ": ",
        "page": "page {page}",
        "child": "Child",
        "id": "ID",
        "name": "Name",
        "date_of_birth": "Date of birth",
        "age": "Age",
        "age_value": "{age} years",
        "sex": "Sex",
        "sex_F": "female",
        "sex_M": "male",
        "not_given": "not given",
        "screening": "Screening",
        "date": "Date",
        "operator": "Operator",
        "device": "Computed on",
        "model": "Model",
        "recording": "Recording",
        "result": "Result",
        "risk": "Risk of genu valgum",
        "risk_value": "{risk} (90% interval {low}–{high})",
        "category": "Category",
        "recommendation": "Recommendation",
        "why": "Why",
        "knee_angle": "Estimated knee angle",
        "knee_angle_value": "{angle}° valgus (90% interval {low}° to {high}°)",
        "band_line": "Normal band for {age} years: {lower}–{upper}° (mean {mean}°)",
        "band_line_adult": "No age given: compared with the adult range 0–10°",
        "chart_band": "normal band",
        "chart_valgum": "genu valgum ≥ 15°",
        "chart_estimate": "estimate and 90% interval",
        "chart_mean": "mean for age",
        "chart_axis": "knee angle, degrees (valgus +, varus −)",
        "quality": "Recording quality",
        "quality_ok": "The recording meets the protocol.",
        "quality_summary": "{width}×{height} at {fps} fps, {frames} frames; the child was followed in {walker} "
                           "frames; {steps} steps; {windows} analysis windows.",
        "quality_problems": "The recording does not meet the protocol:",
        "notes": "Notes",
        "curves": "Risk and knee angle along the walk",
        "curves_caption": "Each point is the mean over the 16-frame analysis windows that contain the frame. "
                          "Dashed line: the model's threshold; green band: the normal knee angle for the age.",
        "curve_score": "risk score",
        "curve_angle": "knee angle (°)",
        "curve_time": "time in the recording (s)",
        "key_frames": "Key frames with the model's attention",
        "key_frames_caption": "The {n} frames the model weighed most: those with the largest total attention, "
                              "at least {gap} s apart. Red marks strong attention, blue weak; the maps are scaled "
                              "to the strongest attention in this recording.",
        "key_frames_silhouettes": "Silhouettes only: the child's picture is not shown.",
        "key_frames_no_video": "The recording is not available, so the child's silhouettes are shown instead.",
        "key_frames_none": "No attention maps are stored for this screening.",
        "key_frame_label": "{time} s · risk {score}",
        "legend_low": "low",
        "legend_high": "high attention",
        "referral": "Referral",
        "referral_intro": "This screening suggests genu valgum (knock-knees) beyond the normal range for the "
                          "child's age. It is a screening result, not a diagnosis: confirm it with a re-screen "
                          "before the family receives a written notice, as school screening practice asks.",
        "referral_whom": "Whom to see: the family doctor or paediatrician, who examines the child and refers to a "
                         "paediatric orthopaedic specialist if needed.",
        "referral_bring": "What to bring: this report; the child's health record and any earlier screening "
                          "results; a note of any knee pain, limping, one-sided knock-knee, or whether it is "
                          "getting worse, and of relatives with leg deformities.",
        "referral_sooner": "When to go sooner: if the knees hurt, only one leg is affected, the gap between the "
                           "ankles is more than 8 cm when the knees touch, or it is getting worse.",
        "referral_return": "Please ask the doctor to fill in and return this part:",
        "referral_findings": "Doctor's findings",
        "referral_stamp": "Doctor's signature and stamp",
        "important": "Important",
        "disclaimer": "GenuScreen is screening support, not a diagnosis, and it is not clinically validated. The "
                      "knee angle is estimated from a two-dimensional video and can differ from an X-ray "
                      "measurement by several degrees. Only a clinician's examination can confirm or rule out "
                      "genu valgum.",
        "disclaimer_synthetic": "The model ({model}) uses demonstration weights trained on synthetic children only; "
                                "no real child's data was used.",
        "disclaimer_trained_on": "The model ({model}) was trained on: {description}",
        "screened_by": "Screened by",
        "signature": "Signature",
        "sign_date": "Date",
        "generated": "Report made {when}",
        "not_screenable": "This recording cannot be screened.",
        # Class summary.
        "summary_title": "Class screening summary",
        "school": "School",
        "class": "Class",
        "session": "Class session",
        "summary_counts": "{total} children: {screened} screened ({refer} refer, {rescreen} re-screen, "
                          "{no_concern} no concern, {unscreenable} could not be screened); {absent} absent, "
                          "{skipped} skipped, {pending} not yet screened.",
        "referral_list": "Referral list",
        "referral_none": "No child in this class needs a referral.",
        "all_children": "All children",
        "col_no": "No.",
        "col_status": "Status",
        "col_risk": "Risk",
        "col_angle": "Knee angle",
        "status_pending": "not yet screened",
        "status_done": "screened",
        "status_skipped": "skipped",
        "status_absent": "absent",
        "summary_models": "Screened with the model {models}.",
        "summary_disclaimer": "Screening support, not a diagnosis; not clinically validated. Each child's report "
                              "gives the details and the referral advice.",
    },
    "zh": {
        "title": "膝关节力线筛查报告",
        "subtitle": "基于儿童步行视频的膝外翻（X 形腿）筛查",
        "footer": "仅供辅助筛查，不作为诊断",
        "colon": "：",
        "page": "第 {page} 页",
        "child": "儿童信息",
        "id": "编号",
        "name": "姓名",
        "date_of_birth": "出生日期",
        "age": "年龄",
        "age_value": "{age} 岁",
        "sex": "性别",
        "sex_F": "女",
        "sex_M": "男",
        "not_given": "未填写",
        "screening": "筛查信息",
        "date": "筛查日期",
        "operator": "筛查人员",
        "device": "运算设备",
        "model": "模型",
        "recording": "视频文件",
        "result": "筛查结果",
        "risk": "膝外翻风险",
        "risk_value": "{risk}（90% 区间 {low}–{high}）",
        "category": "结果分类",
        "recommendation": "建议",
        "why": "依据",
        "knee_angle": "估计膝角",
        "knee_angle_value": "外翻 {angle}°（90% 区间 {low}° 至 {high}°）",
        "band_line": "{age} 岁正常范围：{lower}–{upper}°（均值 {mean}°）",
        "band_line_adult": "未提供年龄：与成人正常范围 0–10° 比较",
        "chart_band": "正常范围",
        "chart_valgum": "膝外翻 ≥ 15°",
        "chart_estimate": "估计值及 90% 区间",
        "chart_mean": "同龄均值",
        "chart_axis": "膝角（度，外翻为正，内翻为负）",
        "quality": "视频质量",
        "quality_ok": "视频符合拍摄规范。",
        "quality_summary": "{width}×{height}，{fps} 帧/秒，共 {frames} 帧；其中 {walker} 帧跟踪到儿童；"
                           "识别到 {steps} 步；{windows} 个分析窗口。",
        "quality_problems": "视频不符合拍摄规范：",
        "notes": "备注",
        "curves": "步行过程中的风险分数与膝角",
        "curves_caption": "每个点为包含该帧的各个 16 帧分析窗口的平均值。虚线为模型阈值；绿色带为该年龄的正常膝角范围。",
        "curve_score": "风险分数",
        "curve_angle": "膝角（°）",
        "curve_time": "视频时间（秒）",
        "key_frames": "关键帧与模型关注区域",
        "key_frames_caption": "模型最看重的 {n} 帧：关注度总和最高、彼此相隔至少 {gap} 秒的帧。红色表示关注强，"
                              "蓝色表示关注弱；关注图以本视频中的最强关注为基准缩放。",
        "key_frames_silhouettes": "仅显示轮廓，不显示儿童图像。",
        "key_frames_no_video": "原始视频不可用，改为显示儿童轮廓。",
        "key_frames_none": "本次筛查未保存关注图。",
        "key_frame_label": "{time} 秒 · 风险 {score}",
        "legend_low": "弱",
        "legend_high": "关注强",
        "referral": "转诊",
        "referral_intro": "本次筛查提示膝外翻（X 形腿）超出该年龄的正常范围。这是筛查结果，不是诊断："
                          "按学校筛查惯例，应先复查确认，再书面通知家长。",
        "referral_whom": "就诊对象：家庭医生或儿科医生。医生检查后，必要时转诊至小儿骨科。",
        "referral_bring": "请携带：本报告；儿童健康档案及以往筛查结果；记录是否有膝关节疼痛、跛行、"
                          "单侧膝外翻或逐渐加重，以及亲属中是否有人腿部畸形。",
        "referral_sooner": "何时尽早就医：膝关节疼痛、仅一侧腿受累、双膝并拢时两踝间距超过 8 厘米，"
                           "或畸形逐渐加重。",
        "referral_return": "请医生填写以下回执并交回：",
        "referral_findings": "医生意见",
        "referral_stamp": "医生签名（盖章）",
        "important": "重要说明",
        "disclaimer": "GenuScreen 仅用于辅助筛查，不是诊断，且未经临床验证。膝角由二维视频估计，"
                      "可能与 X 线测量相差数度。是否患有膝外翻，须由医生检查确定。",
        "disclaimer_synthetic": "本模型（{model}）使用演示权重，仅以合成儿童数据训练，未使用任何真实儿童的数据。",
        "disclaimer_trained_on": "本模型（{model}）的训练数据：{description}",
        "screened_by": "筛查人",
        "signature": "签名",
        "sign_date": "日期",
        "generated": "报告生成于 {when}",
        "not_screenable": "该视频无法用于筛查。",
        "summary_title": "班级筛查汇总",
        "school": "学校",
        "class": "班级",
        "session": "班级筛查",
        "summary_counts": "共 {total} 名儿童：已筛查 {screened} 名（转诊 {refer} 名，复查 {rescreen} 名，"
                          "无需处理 {no_concern} 名，无法筛查 {unscreenable} 名）；缺席 {absent} 名，"
                          "跳过 {skipped} 名，尚未筛查 {pending} 名。",
        "referral_list": "转诊名单",
        "referral_none": "本班没有需要转诊的儿童。",
        "all_children": "全部儿童",
        "col_no": "序号",
        "col_status": "状态",
        "col_risk": "风险",
        "col_angle": "膝角",
        "status_pending": "尚未筛查",
        "status_done": "已筛查",
        "status_skipped": "跳过",
        "status_absent": "缺席",
        "summary_models": "筛查所用模型：{models}。",
        "summary_disclaimer": "仅供辅助筛查，不作为诊断，未经临床验证。每名儿童的详细结果与转诊建议见其个人报告。",
    },
}  # fmt: skip

CATEGORY_WORDS = {
    "en": {"genu_valgum_unlikely": "Genu valgum unlikely", "uncertain": "Uncertain",
           "genu_valgum_likely": "Genu valgum likely", "not_screenable": "Cannot be screened"},
    "zh": {"genu_valgum_unlikely": "膝外翻可能性低", "uncertain": "结果不确定",
           "genu_valgum_likely": "膝外翻可能性高", "not_screenable": "无法筛查"},
}  # fmt: skip

RECOMMENDATION_WORDS = {
    "en": {clinical.RECOMMEND_NO_CONCERN: "No concern", clinical.RECOMMEND_RESCREEN: "Re-screen",
           clinical.RECOMMEND_REFER: "Refer"},
    "zh": {clinical.RECOMMEND_NO_CONCERN: "无需处理", clinical.RECOMMEND_RESCREEN: "复查",
           clinical.RECOMMEND_REFER: "转诊"},
}  # fmt: skip

_REASONS_ZH = {
    clinical.RULE_YOUNG_VALGUS: "估计膝角（{angle}°，区间 {low}–{high}°）高于{band}，但{age}岁儿童的膝外翻常可自行改善。"
                                "建议约 6 个月后复查；如为单侧、伴有疼痛或逐渐加重，应尽早转诊。",
    clinical.RULE_VALGUS: "估计膝角（{angle}°，区间 {low}–{high}°）高于{band}，处于 15° 及以上的膝外翻范围，"
                          "且风险较高（{risk}）。建议转诊，进行临床检查。",
    clinical.RULE_WITHIN_BAND: "估计膝角（{angle}°，区间 {low}–{high}°）在{band}之内，风险较低（{risk}）。",
    clinical.RULE_EDGE_OF_BAND: "风险较低（{risk}）；估计膝角（{angle}°，区间 {low}–{high}°）处于{band}的边缘，"
                                "在视频测量误差之内。",
    clinical.RULE_BOW_LEGS: "估计膝角（{angle}°）提示为膝内翻（O 形腿）而非膝外翻；本工具只筛查膝外翻。"
                            "建议复查；如双腿呈弓形，请就医。",
    clinical.RULE_UNCLEAR: "结果不明确：风险 {risk}（区间 {risk_low}–{risk_high}），估计膝角 {angle}°（区间 {low}–{high}°），"
                           "对照{band}。请重新拍摄（儿童正对摄像头直线行走，穿短裤，全身在画面内）后再次筛查。",
}  # fmt: skip

_PROBLEMS_ZH = {
    "no_person": "未发现行走的人。请确认儿童在画面内并朝摄像头行走、摄像头保持不动，然后重新拍摄。",
    "multiple_people": "画面中不止一人。每次只筛查一名儿童，画面中不要有其他人，然后重新拍摄。",
    "side_view": "儿童横穿画面，而不是朝摄像头走来。请把摄像头放在走道尽头，让儿童正对摄像头直线行走。",
    "walking_away": "儿童在远离摄像头。儿童应从远处出发，朝摄像头走来。",
    "body_cut_off": "多帧中头部或脚部超出画面。请把摄像头后移，或降低到膝部至腰部的高度，使全身始终在画面内。",
    "too_few_frames": "视频太短，或全身在画面中的时间太短。请拍摄儿童朝摄像头走完全程（约 4–6 秒）。",
    "too_few_steps": "识别到的步数太少（至少需要 4 步）。请让儿童朝摄像头走完全程（约 4–6 米）。",
    "camera_moving": "拍摄过程中摄像头发生了移动。请把摄像头固定在三脚架或平稳的表面上，然后重新拍摄。",
    "too_dark": "视频太暗。请增加照明或换到更明亮的房间，避免逆光，然后重新拍摄。",
}

# The pipeline's notes, recognised by how they begin.
_NOTES_ZH = {
    "The age norms cover": "年龄标准覆盖 3–12 岁；已使用最接近年龄的正常范围。",
    "The GPU failed": "GPU 运行出错，模型改在 CPU 上运行。",
    "The model card gives no angle error": "模型说明未给出膝角误差；膝角区间按 5° 误差估计。",
}


def normalise_language(language: str | None) -> str:
    """'en' or 'zh' from 'en', 'en_GB', 'zh', 'zh_CN', 'zh-Hans', ...; raises ValueError otherwise."""
    key = (language or "en").strip().lower().replace("-", "_")
    if key.startswith("zh"):
        return "zh"
    if key.startswith("en"):
        return "en"
    raise ValueError(f"report language must be English (en) or Simplified Chinese (zh), got {language!r}")


def words(language: str) -> dict[str, str]:
    return STRINGS[language]


def category_words(category: str, language: str) -> str:
    return CATEGORY_WORDS[language].get(category, category)


def recommendation_words(recommendation: str | None, language: str) -> str:
    return RECOMMENDATION_WORDS[language].get(recommendation, "") if recommendation else ""


def problem_words(problem: dict, language: str) -> str:
    if language == "zh":
        return _PROBLEMS_ZH.get(problem.get("code", ""), problem.get("message", ""))
    return problem.get("message", "")


def note_words(note: str, language: str) -> str:
    if language == "zh":
        for start, text in _NOTES_ZH.items():
            if note.startswith(start):
                return text
    return note


def _band_zh(age_y: float | None) -> str:
    if age_y is None:
        return "成人正常范围（0–10°；未提供年龄，未使用年龄标准）"
    lower, _mean, upper = clinical.age_norm(age_y)
    return f"{age_y:.0f}岁儿童的正常范围（{lower:.0f}–{upper:.0f}°）"


def reason_words(result, language: str) -> str:
    """Why the recommendation was given, or why the recording cannot be screened."""
    if language == "en":
        return result.reason
    if not result.screenable:
        problems = [problem_words(p, language) for p in (result.quality or {}).get("problems", [])]
        return STRINGS["zh"]["not_screenable"] + ("".join(problems) or "视频中未找到可用的步行片段。请按拍摄规范重新拍摄。")
    threshold = float((result.model or {}).get("threshold", 0.5))
    _recommendation, rule = clinical.recommendation_rule(result.knee_angle_interval, result.risk_interval, threshold,
                                                         result.age_y)  # fmt: skip
    lo_a, hi_a = result.knee_angle_interval
    lo_r, hi_r = result.risk_interval
    return _REASONS_ZH[rule].format(
        angle=f"{result.knee_angle_deg:.0f}", low=f"{lo_a:.0f}", high=f"{hi_a:.0f}", band=_band_zh(result.age_y),
        risk=f"{result.risk:.0%}", risk_low=f"{lo_r:.0%}", risk_high=f"{hi_r:.0%}",
        age=f"{result.age_y:.0f}" if result.age_y is not None else "",
    )  # fmt: skip
