"""The one table of rules: id, article, Chinese title, interpretation, severity, stage.

Every rule the software applies is a row of `TABLE`, in pipeline order; the module that
applies a rule lists it in its own `APPLIES` table (rule id → the function that applies it),
so `grep -rn '"rule-id"' generator/` leads from an id to its code. The validator's messages, the
site's rules page and the tests all read these rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """How a finding weighs: errors fail CI, warnings inform, derived rules only derive."""

    ERROR = "error"
    WARNING = "warning"
    DERIVED = "derived"


class Stage(str, Enum):
    """Where a rule is applied, in pipeline order."""

    FILE = "file"
    SCHEMA = "schema"
    RECORD = "record"
    REGISTRY = "registry"
    DERIVE = "derive"


STAGE_LABELS = {
    Stage.FILE: "文件与 YAML 格式",
    Stage.SCHEMA: "数据结构（JSON Schema）",
    Stage.RECORD: "单条记录",
    Stage.REGISTRY: "跨记录",
    Stage.DERIVE: "状态与期限推算",
}

SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.DERIVED: "推算"}


class Basis(str, Enum):
    """What a rule rests on: an article's own words, this site's reading of them, or neither."""

    TEXT = "text"
    INTERPRETATION = "interpretation"
    REGISTRY = "registry"


BASIS_LABELS = {Basis.TEXT: "条文", Basis.INTERPRETATION: "本站解释", Basis.REGISTRY: "名录规则"}


@dataclass(frozen=True)
class Rule:
    """One rule of the measures (or of the file format) as data.

    `interpretation` says what the rule checks or derives; `reading`, when the measures are
    silent or unclear, says in one sentence what this site reads into them (the rules page
    marks such a rule 本站解释 and prints the sentence).
    """

    id: str
    article: str | None
    title: str
    interpretation: str
    severity: Severity
    stage: Stage
    reading: str = ""

    @property
    def citation(self) -> str:
        """The article in the form shown after every message, or '' for format rules."""
        return f"（{self.article}）" if self.article else ""

    @property
    def basis(self) -> Basis:
        """条文 for an article applied as written, 本站解释 where the site reads into it,
        名录规则 for the registry's own rules (file format, sources, privacy)."""
        if self.reading:
            return Basis.INTERPRETATION
        return Basis.TEXT if self.article else Basis.REGISTRY

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS[self.basis]


TABLE: tuple[Rule, ...] = (
    # --- file ----------------------------------------------------------------------------------
    Rule(
        "file.too-large",
        None,
        "文件不超过 1 MiB",
        "超过 1 MiB 的记录文件不读取：一条记录不可能这么大。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "file.symlink",
        None,
        "不使用符号链接",
        "记录文件必须是普通文件，不能是指向他处（包括名录之外）的符号链接。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "file.name",
        None,
        "文件名为 <id>.yaml",
        "centers/、notices/ 与 calendar/ 下的记录文件以 .yaml 结尾，文件名即记录标识（节假日安排为年份）。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "file.unreadable",
        None,
        "文件可以读取",
        "记录文件必须能被读取（权限、磁盘错误等会使它无法读取）。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "registry.settings",
        None,
        "名录设置文件存在",
        "registry/registry.yaml 必须存在：其中的演示数据提示与开放数据许可协议不能因文件缺失而悄悄消失。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "registry.units",
        None,
        "归口管理单位名录存在",
        (
            "registry/supervising_units.yaml 必须存在：中心与公示所写的归口管理单位要对照它核对，"
            "缺了它，笔误会悄悄把一个单位分成两个。"
        ),
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule("file.encoding", None, "UTF-8 编码", "记录文件必须是合法的 UTF-8 文本。", Severity.ERROR, Stage.FILE),
    Rule("file.bom", None, "不带字节顺序标记", "记录文件以无 BOM 的 UTF-8 保存。", Severity.ERROR, Stage.FILE),
    Rule("file.tab", None, "不使用制表符", "YAML 缩进不允许制表符；记录中一律用空格。", Severity.ERROR, Stage.FILE),
    Rule(
        "file.control",
        None,
        "不含控制字符",
        "记录中不得含有换行以外的控制字符（如 NUL、响铃），它们在 YAML 中无效且不可见。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "text.control",
        None,
        "值中不含控制字符",
        "记录的值不得含有换行以外的控制字符（如 NUL、ESC、响铃、回车）或行、段分隔符（U+2028、U+2029），"
        "直接写入或以双引号中的转义（如 \\e、\\0、\\r、\\x1b）写出都不行：它们能改写终端与 CI 日志的显示。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "text.bidi",
        None,
        "不含改变文字方向的字符",
        "记录中不得含有双向文字的嵌入、覆盖与隔离字符（U+202A–202E、U+2066–2069）及方向标记（U+200E、U+200F、"
        "U+061C），直接写入或以转义（如 \\u202e）写出都不行：它们能让文字显示的顺序与实际内容不同。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "text.zero-width",
        None,
        "不含零宽字符",
        "记录中不得含有零宽字符（U+200B–200D、U+2060–2064、U+FEFF、软连字符 U+00AD 等）：它们看不见，"
        "却能让两个看起来相同的名称不同，从而绕过名称重复的检查。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule("file.empty", None, "文件非空", "记录文件必须包含一条记录。", Severity.ERROR, Stage.FILE),
    Rule("yaml.syntax", None, "YAML 语法正确", "文件必须是单个、语法正确的 YAML 文档。", Severity.ERROR, Stage.FILE),
    Rule(
        "yaml.duplicate-key",
        None,
        "键不重复",
        "同一映射中的键不得重复（PyYAML 会静默保留最后一个）。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "yaml.tag",
        None,
        "不使用自定义标签",
        "不允许 !!python/object 等自定义或非标准标签。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "yaml.alias",
        None,
        "不使用锚点引用",
        "不允许 *别名 引用（防止别名炸弹，也让每条记录一目了然）。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "yaml.ambiguous",
        None,
        "值的含义在 YAML 1.1 与 1.2 中一致",
        "如 no、on、1e3、010、1_000 在不同 YAML 版本中含义不同，必须加引号或改写。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "yaml.depth",
        None,
        "嵌套不超过 32 层",
        "过深的嵌套不可能是合法记录；无论用缩进、“- ”、“? ”还是括号嵌套，都在解析之前按行号指出。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "yaml.value",
        None,
        "数值可以精确表示",
        "整数的绝对值不超过 2^53−1（9007199254740991），小数不超出浮点数范围：更大的数无法在开放数据（JSON）中"
        "精确读出，也不可能是记录中的数量。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "yaml.root",
        None,
        "顶层为映射",
        "每个记录文件的顶层必须是“键: 值”映射，而不是列表或单个值。",
        Severity.ERROR,
        Stage.FILE,
    ),
    Rule(
        "findings.limit",
        None,
        "每个文件最多列出50条问题",
        "一个文件的问题超过50条时，只列出前50条，再以一条汇总说明另有多少条（其中有错误时这条也是错误）："
        "这样 CI 的注释与摘要仍然可读。汇总行的严重程度随被省略的问题而定。",
        Severity.WARNING,
        Stage.FILE,
    ),
    Rule(
        "file.schema-line",
        None,
        "首行声明数据结构",
        "记录文件的第一行是 # yaml-language-server: $schema=<相对路径>，编辑器据此在输入时补全与检查。",
        Severity.WARNING,
        Stage.FILE,
    ),
    # --- schema --------------------------------------------------------------------------------
    Rule(
        "schema",
        None,
        "符合数据结构",
        "每条记录必须符合 schema/ 中对应的 JSON Schema：必填字段、取值范围、日期格式、不允许未定义的字段。",
        Severity.ERROR,
        Stage.SCHEMA,
    ),
    # --- record --------------------------------------------------------------------------------
    Rule(
        "name.pattern",
        "第二十条",
        "统一命名为“忻州市××技术创新中心”",
        (
            "中心名称（含更名后的新名称）必须以“忻州市”开头、以“技术创新中心”结尾，中间为具体名称；本办法"
            "施行前设立、此后没有更名的中心，名称按记录显示，不按本条检查（见“本办法施行前的事实”）。"
        ),
        Severity.ERROR,
        Stage.RECORD,
    ),
    Rule(
        "name.history",
        "第二十条",
        "更名记录前后衔接",
        "每次更名的“变更前”须等于当时的名称，最后一次更名的“变更后”须等于现用名称，曾用名因此可查。",
        Severity.ERROR,
        Stage.RECORD,
    ),
    Rule(
        "events.order",
        None,
        "事件按日期先后排列",
        "事件列表按日期从早到晚排列，同一天的事件按发生顺序排列。",
        Severity.ERROR,
        Stage.RECORD,
    ),
    Rule(
        "events.lifecycle",
        "第十二条",
        "事件符合建设程序",
        "批准建设在同一次申请中只有一次；任务书、延期、验收、考核、评估、建设经费、变更与撤销都须在批"
        "准建设之后；撤销之后不再有事件；撤回或未获批准之后，只能以新的“提交申请”重新申报（标识不变"
        "）。",
        Severity.ERROR,
        Stage.RECORD,
    ),
    Rule(
        "construction.period",
        "第十二条",
        "建设期不超过2年",
        (
            "按本办法批准建设的，任务书确定的建设期满日期须晚于批准日期，且不晚于批准之日起2年（可早于2年）"
            "；本办法施行前的批准不按本条检查。"
        ),
        Severity.ERROR,
        Stage.RECORD,
    ),
    Rule(
        "extension.once",
        "第十二条",
        "只可延期一次",
        "因特殊原因未完成建设任务的，经市科技局批准最多延期一次：本办法施行后批准的延期之前不能已有延期。",
        Severity.ERROR,
        Stage.RECORD,
    ),
    Rule(
        "extension.length",
        "第十二条",
        "延期最多1年",
        "本办法施行后批准的延期，延期后的建设期满日期须晚于原定期满日期，且不超过原定期满日期后1年。",
        Severity.ERROR,
        Stage.RECORD,
    ),
    Rule(
        "assessment.year",
        "第十八条",
        "每年一次年度考核",
        "同一年度只有一个考核结果；考核年度不早于批准建设的年度，也不晚于公布考核结果的年度。",
        Severity.ERROR,
        Stage.RECORD,
    ),
    Rule(
        "credit-code.check",
        None,
        "统一社会信用代码校验位正确",
        "按 GB 32100-2015 计算第18位校验码：前17位数值按权重 3^(i-1) mo"
        "d 31 加权求和，校验值为 (31 − 和 mod 31) mod 31。",
        Severity.ERROR,
        Stage.RECORD,
    ),
    Rule(
        "privacy.personal-data",
        None,
        "不含个人隐私信息",
        "名录公开发布，只记录市科技局公开的信息：任何字段（文字或数字）都不得含有手机号码或身份证号码，"
        "无论全角半角、以空格、点、连字符分组，还是带 +86、0086 前缀。身份证号码按省份代码、出生日期与"
        "校验码（18位）识别，15位旧号码按省份与出生日期识别；金额（后接“元”“万”等单位）、网址中的数字、"
        "序列号、统一社会信用代码与带区号的固定电话不算。",
        Severity.ERROR,
        Stage.RECORD,
    ),
    Rule(
        "link.deceptive",
        None,
        "链接指向它看起来的地址",
        "网址、网站与出处链接须以 http:// 或 https:// 开头，并且打开的就是看到的主机：不得含有“用户名@”"
        "（https://官方域名@evil.example/ 实际打开 evil.example）、反斜杠或空白，主机须为 ASCII 域名而非 IP "
        "地址；国际化域名只接受解码后全为汉字的 xn-- 形式，以免冒充相似的拉丁字母域名。",
        Severity.ERROR,
        Stage.RECORD,
    ),
    Rule(
        "eligibility.director",
        "第九条",
        "中心负责人：高级职称、不超过60周岁",
        "中心负责人应具有高级专业技术职称（副高级或正高级），申报时年龄不超过60周岁。",
        Severity.WARNING,
        Stage.RECORD,
    ),
    Rule(
        "eligibility.conditions",
        "第九条",
        "面积、设备、研发投入与第一依托单位占比",
        "使用面积不少于500平方米，仪器设备原值不少于500万元，近3年研发总投入不少于500万元，"
        "第一依托单位的固定人员、科研条件、研发成果占相关总量50%以上（含50%）。",
        Severity.WARNING,
        Stage.RECORD,
    ),
    Rule(
        "eligibility.registration",
        "第九条",
        "牵头单位在忻州市注册登记",
        (
            "按本办法申报的中心，牵头单位应在忻州市内注册登记：其统一社会信用代码第3至6位应为 1409（忻"
            "州市的行政区划代码）。"
        ),
        Severity.WARNING,
        Stage.RECORD,
        (
            "办法没有规定如何证明注册地，本站以统一社会信用代码中登记管理机关的行政区划代码（第3至6位为14"
            "09）作为在忻州市注册登记的依据。"
        ),
    ),
    Rule(
        "eligibility.partners",
        "第九条",
        "企业与高校院所联合共建",
        "应由企业和高校、科研院所联合申报；第一依托单位为企业的，须为高新技术企业或建有专门研发机构的"
        "规模以上企业，并有高校共建；第一依托单位为非企业的，须有企业共建。",
        Severity.WARNING,
        Stage.RECORD,
    ),
    Rule(
        "category.structure",
        "第三条、第四条",
        "类别与牵头单位相符",
        "综合类由高校院所或新型研发机构牵头，并设专业化创新研发机构；领域类由行业龙头骨干企业牵头；只"
        "有领域类可由原市工程技术研究中心转建。",
        Severity.WARNING,
        Stage.RECORD,
    ),
    Rule(
        "naming.provincial",
        "第二十条",
        "名称与研究方向（省级做法）",
        (
            "参照2024年省技术创新中心申报要求：名称中的××只用规范汉字，不含字母、拼音、数字或标点，不使"
            "用企业名称；研究方向为3至5个。只作提示；本办法施行前设立且未更名的中心不检查。"
        ),
        Severity.WARNING,
        Stage.RECORD,
        "这些要求出自省级申报通知而非本办法条文，本站参照它们作提示。",
    ),
    Rule(
        "acceptance.late-application",
        "第十二条",
        "建设期满后1个月内申请验收",
        "建设期满（含延期）日期在本办法施行后的，依托单位应在建设期满后1个月内提出验收申请。",
        Severity.WARNING,
        Stage.RECORD,
    ),
    Rule(
        "revocation.two-fails",
        "第十八条",
        "连续两年考核不合格应撤销",
        (
            "年度绩效考核连续两年为“不合格”的，撤销技术创新中心资格；两个年度之间缺少考核则不算连续，只计本"
            "办法施行后作出的考核结果。"
        ),
        Severity.WARNING,
        Stage.RECORD,
        "本办法施行前作出的考核结果只按记录显示，不计入应予撤销所需的连续两年。",
    ),
    Rule(
        "revocation.evaluation-fail",
        "第十九条",
        "三年评估不合格应撤销",
        "本办法施行后作出的建设与运行评估结果为“不合格”的，撤销技术创新中心资格。",
        Severity.WARNING,
        Stage.RECORD,
    ),
    Rule(
        "revocation.safety",
        "第十条",
        "发生安全事故应撤销",
        ("本办法施行后记录的不再具备安全生产和实验研发条件、存在较大事故隐患或发生安全事故的，撤销技术创新中心资格。"),
        Severity.WARNING,
        Stage.RECORD,
    ),
    Rule(
        "funding.amounts",
        "第十三条",
        "经费支持的金额与条件",
        (
            "本办法施行后拨付的经费：建设经费为10万元且只给一次；优秀奖励为5万元，且记录中应有与之对应的连"
            "续3年考核优秀（施行前的考核结果也算，因为拨付是市科技局已作出的决定）。"
        ),
        Severity.WARNING,
        Stage.RECORD,
    ),
    Rule(
        "recognition.legacy",
        "第十二条",
        "“认定”只属于本办法施行前",
        (
            "本办法设立中心的程序是申请、推荐、评审、公示、批准建设和验收（第十二条），没有“认定”；认定事件"
            "只能是本办法施行前的事实，或记录写明依据其他办法作出的事实。"
        ),
        Severity.ERROR,
        Stage.RECORD,
    ),
    Rule(
        "procedure.steps",
        "第十二条",
        "批准建设前履行申报程序",
        (
            "按本办法批准建设的，批准之前应记录归口管理单位的推荐（第十二条（一））、专家评审（第十二条（二）"
            "）和列有本中心的公示（第十二条（三））；缺少哪一步就提示哪一步。"
        ),
        Severity.WARNING,
        Stage.RECORD,
    ),
    Rule(
        "source.required",
        None,
        "官方事实注明出处",
        (
            "批准建设、认定、验收结果、年度考核、三年评估、重大事项变更、经费支持、撤销和延期是官方事实，须注"
            "明出处：文号、公示标识或官方网址；本办法施行后的官方事实没有出处为错误。"
        ),
        Severity.ERROR,
        Stage.RECORD,
    ),
    Rule(
        "source.legacy",
        None,
        "施行前的官方事实注明出处",
        "本办法施行前（或依据其他办法）的官方事实没有出处为警告：补查原文后补上文号、公示标识或官方网址。",
        Severity.WARNING,
        Stage.RECORD,
    ),
    # --- registry ------------------------------------------------------------------------------
    Rule(
        "ref.notice",
        "第十二条",
        "公示事件指向已登记的公示",
        ("中心的“公示”事件和写明公示标识的出处，须引用 registry/notices/ 中存在的公示，且该公示的名单列有这个中心。"),
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "ref.center",
        None,
        "公示名单指向已登记的中心",
        "公示名单中的每一项都须对应 registry/centers/ 中存在的中心，同一中心不重复列出。",
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "ref.unit",
        "第七条",
        "归口管理单位在名录中",
        (
            "中心的归口管理单位（以及公示名单中写明的归口管理单位）须是 registry/supervising_units.yaml "
            "所列单位的现用名称或曾用名；写错的名称报错，并给出最接近的已登记名称。"
        ),
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "units.unique",
        None,
        "归口管理单位不重复",
        "归口管理单位名录中，每个单位的标识唯一，每个名称（现用名称与曾用名）只属于一个单位。",
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "notice.name-match",
        "第十二条",
        "公示名单与申请一致",
        "公示名单中的中心名称应与该中心在公示之日的名称一致（名称、依托单位须与申请书一致）。",
        Severity.WARNING,
        Stage.REGISTRY,
    ),
    Rule(
        "notice.host-match",
        "第十二条",
        "公示名单的依托单位与记录一致",
        (
            "公示名单中写明依托单位的，应与该中心记录的第一依托单位（列在首位）和共建单位一致（第十二条（四）"
            "：名称、依托单位、研究内容必须一致）；公示之后记录了调整重组的，或公示在本办法施行前的，不检查。"
        ),
        Severity.WARNING,
        Stage.REGISTRY,
    ),
    Rule(
        "notice.period",
        "第十二条",
        "公示期的起止日期",
        "公示期从发布之日或之后（至多30天内）开始，结束日期不早于开始日期，且公示期不超过100天（60个工作日"
        "加最长的节假日）；公示结果的日期不早于公示期结束。",
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "notice.period-count",
        "第十二条",
        "写明的工作日数与起止日期相符",
        "公示同时写明起止日期和工作日数的，按国务院节假日安排数出的工作日数应与写明的相同；所涉年份的"
        "安排尚未公布（只能暂行推算）的，不作比较。只作提示。",
        Severity.WARNING,
        Stage.REGISTRY,
    ),
    Rule(
        "privacy.notice",
        None,
        "公示不含个人隐私信息",
        "公示记录的任何字段都不得含有手机号码或身份证号码（识别方法同“不含个人隐私信息”）；联系电话须为"
        "带区号的办公电话。",
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "publicity.date",
        "第十二条",
        "公示事件与公示的日期一致",
        "中心的“公示”事件日期须为所引公示的发布日期（或其写明的公示开始日期）：同一份公示只有一个日期。",
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "link.notice",
        None,
        "公示与名录设置的链接指向它看起来的地址",
        "公示原文网址、名录设置中的网站与编辑地址，规则同“链接指向它看起来的地址”。",
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "dates.plausible",
        None,
        "日期可能为真",
        "记录的是已经发生的事：事件与公示的日期不早于 1990-01-01（最早的前身市工程技术研究中心），也不晚于"
        "校验当天（北京时间；status、build 指定了更晚的推算日期时，以推算日期为准）太多。市科技局印发的文件（批准、未获批准、任务书、延期、验收、考核、评估、经费、"
        "变更、撤销、公示）可能落款日期略早于公布与录入，允许晚于当天至多7天；申请、推荐、专家评审、验收申请、"
        "撤回与安全事故发生后才能记录，不得晚于当天。任务书的建设期满日期、延期后的期满日期等未来日期由各自"
        "的规则限定（批准后2年内、原期满后1年内）；事件不早于中心的第一条事件由“事件按日期先后排列”保证。",
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "naming.similar",
        "第二十条",
        "名称不与其他中心重复或相近（省级做法）",
        "参照省级做法：中心名称中的××不应与其他中心相同，或包含另一个中心的××。只作提示。",
        Severity.WARNING,
        Stage.REGISTRY,
        "这一要求出自省级申报通知而非本办法条文，本站参照它作提示。",
    ),
    Rule(
        "id.filename",
        None,
        "标识与文件名一致",
        "记录的 id 必须与文件名（去掉 .yaml）相同；标识一经确定永不改变，中心更名也不改。",
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "calendar.year-file",
        None,
        "每年一个节假日安排文件",
        "registry/calendar/ 下每年的国务院节假日安排一个文件，文件名为 <年份>.yaml，与其中的 year 相同；"
        "同一年份不能有两个文件。",
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "measures.record",
        "第二十一条",
        "登记本站实现的办法",
        (
            "registry/measures/ 须有忻科规〔2024〕4号的记录，其施行日期与有效期须与第"
            "二十一条一致（2024年8月4日起施行，有效期五年）；各办法的文号不重复，所废止的办法须已登记。"
        ),
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "calendar.dates",
        None,
        "节假日安排的日期在该年内",
        "放假与调休上班的日期都在该年内（元旦的放假与调休可从上一年 12 月开始，通知有时这样安排）；"
        "放假最后一天不早于第一天。放假起止之间的周六、周日照通知原文算作放假，不作提示。",
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "calendar.conflict",
        None,
        "同一天不既放假又上班",
        "节假日安排中（包括不同年份的文件之间）同一天不能既在放假期间，又列为调休上班日。",
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "calendar.weekday-workday",
        None,
        "调休上班日是周六或周日",
        "调休上班日是通知写明要上班的周六、周日；周一至周五本来就是工作日，列为调休上班日说明录入有误。",
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    Rule(
        "ref.measures",
        "第二十一条",
        "写明的适用办法已登记",
        ("事件的 measures（适用办法）字段须是 registry/measures/ 中已登记的办法文号。"),
        Severity.ERROR,
        Stage.REGISTRY,
    ),
    # --- derive --------------------------------------------------------------------------------
    Rule(
        "dates.calendar",
        None,
        "日期按公历与北京时间计算",
        "所有日期均为北京时间（Asia/Shanghai）的公历日期；“某日起N个月/N年”为N个月"
        "/N年后的同一日，该月没有这一日时取该月最后一日（如2024-02-29加2年为2026-0"
        "2-28，2026-01-31加1个月为2026-02-28）；期限当日不算逾期，次日起算逾"
        "期。",
        Severity.DERIVED,
        Stage.DERIVE,
        "办法没有规定期限的算法，本站按同日计算、该月没有这一日时取月末，期限当日不算逾期。",
    ),
    Rule(
        "dates.working-days",
        None,
        "工作日按国务院节假日安排计算",
        "工作日依国务院办公厅逐年公布的节假日安排（含调休上班的周六、周日）。某年的安排以名录"
        " registry/calendar/<年份>.yaml 中照通知录入的为准（见本页“节假日安排”）；名录没有的年份，用"
        " chinese_calendar 程序包收录的安排；两者都没有（安排尚未公布）的年份，按“安排未公布年份的暂行推算”"
        "计算，由此得出的每个日期都标注“暂定”；该年安排录入名录后，下一次生成网站时标注即消失。",
        Severity.DERIVED,
        Stage.DERIVE,
    ),
    Rule(
        "dates.provisional-holidays",
        None,
        "安排未公布年份的暂行推算",
        "某年的国务院节假日安排尚未公布时，按《全国年节及纪念日放假办法》（2024年修订，2025年1月1日起施"
        "行）第二条的全体公民放假节日计算：元旦1天（1月1日）；春节4天（农历除夕、正月初一至初三）；清明"
        "节1天（清明节气当日）；劳动节2天（5月1日、2日）；端午节1天（农历五月初五）；中秋节1天（农历八"
        "月十五）；国庆节3天（10月1日至3日）。农历日期与节气由 lunar_python 程序包计算。依该办法第六条，"
        "节日适逢周六、周日的补假，本站把补假放在该节日之后的第一个工作日；两个节日同一天的，重叠的一天"
        "同样补假（与2020年国庆节、中秋节的安排一致，本站解释）。其余周一至周五为工作日。调休上班日无法预"
        "知，所以这样算出的日期都标注“暂定”。2025年以前没有安排可查的年份只按周一至周五计算，同样标注"
        "“暂定”。",
        Severity.DERIVED,
        Stage.DERIVE,
        "安排尚未公布的年份，本站按法定节假日及其补假暂行推算工作日（不计调休），并把由此得出的日期标注为“暂定”。",
    ),
    Rule(
        "notice.period-default",
        "第十二条",
        "公示期默认5个工作日",
        "办法未规定公示期长度。参照长治、石家庄、湖北及山西省的同类公示，未写明公示期的，按自发布之日"
        "起（发布当日为第1天）5个工作日计算；公示写明起止日期或天数的，以公示为准。",
        Severity.DERIVED,
        Stage.DERIVE,
        "办法没有规定公示期，本站参照同类公示按5个工作日（发布当日为第1天）计算。",
    ),
    Rule(
        "notice.state",
        "第十二条",
        "公示状态",
        "公示开始前为“即将开始”，开始日至结束日（含）为“公示中”，结束日之后为“已结束”（尚无公示结果"
        "的为“结果待公布”，见规则 notice.result-pending）；剩余工作日从推算日期（含）数到结束日（含）。",
        Severity.DERIVED,
        Stage.DERIVE,
    ),
    Rule(
        "notice.result-pending",
        "第十二条",
        "公示结果待公布",
        "公示期已结束，而名录中没有日期不晚于推算日期的公示结果的，显示为“结果待公布”，而不是“已结束”；"
        "记录了公示结果（无异议，或异议的处理结论）且其日期已到的，显示为“已结束”并列出结果。",
        Severity.DERIVED,
        Stage.DERIVE,
        "办法没有规定公示期满后多久公布结果；“结果待公布”只说明本站尚未记录结果，不表示市科技局尚未作出决定。",
    ),
    Rule(
        "deadline.publicity-end",
        "第十二条",
        "公示期结束",
        "中心所在公示的公示期最后一天；公示无异议后由局党组会议研究确定。",
        Severity.DERIVED,
        Stage.DERIVE,
    ),
    Rule(
        "deadline.construction-end",
        "第十二条",
        "建设期满",
        (
            "任务书确定的建设期满日期；按本办法批准而没有任务书的，为批准之日起2年；本办法施行前批准而记录中"
            "没有任务书的，显示“记录不足，无法推算”，不作推定。提出验收申请或验收通过即视为完成。"
        ),
        Severity.DERIVED,
        Stage.DERIVE,
        "本办法施行前批准的中心，建设期只取记录中的任务书或延期日期，不套用本办法的2年。",
    ),
    Rule(
        "deadline.extension-end",
        "第十二条",
        "延期期满",
        "批准延期后的建设期满日期（最多延长1年）。提出验收申请或验收通过即视为完成。",
        Severity.DERIVED,
        Stage.DERIVE,
    ),
    Rule(
        "deadline.acceptance-application",
        "第十二条",
        "提出验收申请",
        (
            "建设期满（含延期）后1个月内，由依托单位提出验收申请；建设期满日期在本办法施行前或无法推算的，不"
            "推算这一期限。"
        ),
        Severity.DERIVED,
        Stage.DERIVE,
    ),
    Rule(
        "deadline.evaluation",
        "第十九条",
        "三年评估",
        (
            "列入市技术创新中心序列（验收通过或认定）后每三年评估一次：首次为列入序列之日起3年，本办法施行前"
            "已列入序列的为2024年8月4日起3年；其后为上次评估之日起3年。"
        ),
        Severity.DERIVED,
        Stage.DERIVE,
        (
            "办法只规定“每三年进行一次评估”而没有规定起算日，本站以列入序列之日起算，施行前已列入序列的以2"
            "024年8月4日起算。"
        ),
    ),
    Rule(
        "deadline.annual-assessment",
        "第十八条",
        "年度绩效考核",
        (
            "列入序列的中心自列入序列的年度起每年考核一次；第Y年度的考核结果应在Y+1年6月30日前记录，只"
            "推算这一日期在本办法施行后的年度。"
        ),
        Severity.DERIVED,
        Stage.DERIVE,
        "办法没有规定考核结果的期限，本站以次年6月30日为期。",
    ),
    Rule(
        "revocation.extension-expired",
        "第十二条",
        "延期后仍未通过验收应撤销",
        (
            "延期期满后1个月内没有提出验收申请（逾期才提出的也算），或延期后验收未通过的，在验收通过或记录撤"
            "销之前，一直提示“按第十二条应予撤销”。"
        ),
        Severity.DERIVED,
        Stage.DERIVE,
        ("第十二条只写“延期后仍未能通过验收的予以撤销”，本站把延期期满后未按时提出验收申请也视为未能通过验收。"),
    ),
    Rule(
        "acceptance.application-overdue",
        "第十二条",
        "建设期满1个月内未申请验收",
        "建设期满（未延期，且在本办法施行后）后1个月内未提出验收申请的，标注为逾期。",
        Severity.DERIVED,
        Stage.DERIVE,
    ),
    Rule(
        "flag.priority",
        "第十八条",
        "考核优秀：重点支持、优先推荐",
        (
            "最近一个年度考核为“优秀”的中心（本办法施行后作出的考核，考核年度不早于推算日期的前两年），市科"
            "技计划项目给予重点支持，并优先推荐申报省技术创新中心。"
        ),
        Severity.DERIVED,
        Stage.DERIVE,
        ("办法没有规定“优秀”带来的支持持续多久，本站只对考核年度不早于推算日期前两年的最近一次优秀作提示。"),
    ),
    Rule(
        "policy.transition",
        "第二十一条",
        "本办法施行前的事实",
        (
            "2024年8月4日前的事实（以及记录写明依据其他办法的事实）按记录显示，并注明当时适用的办法，不"
            "按本办法评判；2024年8月4日起，序列中的每个中心按本办法运行管理：年度考核（第十八条）、三年"
            "评估（第十九条）与撤销（第十条、第十八条、第十九条）。"
        ),
        Severity.DERIVED,
        Stage.DERIVE,
        "第二十一条只规定了施行日期和废止试行办法，本站据此按每项事实发生的日期决定适用哪部办法。",
    ),
    Rule(
        "policy.validity",
        "第二十一条",
        "办法的有效期",
        (
            "本办法自2024年8月4日起施行，有效期五年（至2029年8月3日）。推算日期在有效期之后时，每"
            "一项推算结果都注明所依据的办法已期满；登记了后续办法的，其施行后的事实只显示、不推算。"
        ),
        Severity.DERIVED,
        Stage.DERIVE,
        "办法期满而新办法尚未登记时，本站继续按本办法推算，并在每一项推算结果上注明所依据的办法已期满。",
    ),
    Rule(
        "rating.streak",
        "第十八条",
        "连续考核等次",
        (
            "连续指考核年度相邻：某一年度没有考核结果即中断连续（该年不计入“优秀”或“不合格”的连续年数）；"
            "撤销、奖励与优先支持只计本办法施行后作出的考核结果。"
        ),
        Severity.DERIVED,
        Stage.DERIVE,
        "办法没有说明缺一年考核是否中断“连续”，本站认为中断。",
    ),
    Rule(
        "funding.construction",
        "第十三条",
        "新建中心建设经费10万元",
        (
            "按本办法批准建设的新建中心应获10万元建设经费，由原市工程技术研究中心转建的领域类中心也算新建；"
            "本办法施行前批准或认定的中心不推算。已拨付与否以“经费支持”事件为准。"
        ),
        Severity.DERIVED,
        Stage.DERIVE,
        ("第十三条的“新建”本站理解为按本办法批准建设，包括由原市工程技术研究中心转建的领域类中心（第四条）。"),
    ),
    Rule(
        "funding.award",
        "第十三条",
        "连续3年考核优秀奖励5万元",
        ("每出现连续3个年度考核优秀（本办法施行后作出的考核），在第3个年度另奖励5万元；连续6年则两次，依此类推。"),
        Severity.DERIVED,
        Stage.DERIVE,
        "办法只写“连续3年绩效考核为优秀的，另奖励5万元”，本站理解为每满3个连续优秀年度奖励一次。",
    ),
    Rule(
        "status",
        "第十二条",
        "中心状态",
        (
            "申报中：已申请、未公示；公示中：所在公示的公示期内；待批准：公示期满、尚未批准；建设中：批准后至"
            "建设期满；延期建设：原定期满之后、延期期满之前；待验收：建设期满、尚无验收结论；已认定运行：验收"
            "通过或认定，列入市技术创新中心序列；验收未通过：验收未通过且其后没有批准延期；已撤销、未获批准、"
            "已撤回：记录了相应事件。"
        ),
        Severity.DERIVED,
        Stage.DERIVE,
        "状态是本站对第十二条各阶段的概括，以市科技局的决定为准。",
    ),
    Rule(
        "status.detail",
        "第十二条",
        "待验收与建设中的细分",
        (
            "待验收的中心再分为：已申请 N 天（已提出验收申请，N 为到推算日的天数）、申请期内（建设期满后"
            "1个月内尚未申请）、逾期未申请（已过申请期限仍未申请）、未记录验收申请（建设期满在本办法施行前）"
            "；建设中而记录不足以确定建设期满日期的，注明“期满日期记录不足”。"
        ),
        Severity.DERIVED,
        Stage.DERIVE,
        "这些细分是本站为便于查阅作的区分，不是办法规定的状态。",
    ),
)

RULES: dict[str, Rule] = {r.id: r for r in TABLE}


def rule(rule_id: str) -> Rule:
    """The rule with this id."""
    return RULES[rule_id]
