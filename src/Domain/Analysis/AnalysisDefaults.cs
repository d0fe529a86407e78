namespace Liaison.Domain.Analysis;

/// <summary>
/// What ships with the analysis: the stop words of suggestion writing, the government terms jieba's general
/// dictionary splits, and the usual field taxonomy of people's-congress suggestion work. Administrators
/// extend the dictionary and edit the taxonomy as data; these are the starting point.
/// </summary>
public static class AnalysisDefaults
{
    /// <summary>Function words and the set phrases every suggestion uses (关于……的建议, 有关部门, 进一步加强).</summary>
    public static readonly IReadOnlyList<string> StopWords =
    [
        "关于", "建议", "意见", "提案", "议案", "问题", "有关", "相关", "部门", "有关部门", "相关部门", "政府", "我市", "本市", "全市", "市民", "群众",
        "反映", "进一步", "加强", "加快", "推进", "推动", "完善", "提高", "提升", "加大", "力度", "解决", "研究", "做好", "切实", "积极", "尽快",
        "目前", "当前", "现在", "存在", "情况", "方面", "工作", "进行", "开展", "实施", "落实", "措施", "办法", "一些", "部分", "较多", "较大",
        "很多", "不少", "不够", "不足", "需要", "应当", "应该", "可以", "能够", "以及", "并且", "而且", "但是", "因此", "所以", "如果", "虽然",
        "这个", "那个", "这些", "那些", "其中", "同时", "通过", "根据", "按照", "对于", "由于", "为了", "以便", "并", "和", "与", "及", "或",
        "的", "了", "在", "是", "有", "对", "将", "把", "被", "从", "向", "给", "等", "等等", "已经", "还", "也", "都", "又", "再", "更",
        "具体", "内容", "代表", "人大代表", "希望", "呼吁", "要求", "造成", "导致", "影响", "严重", "明显", "日益", "逐步", "不断", "有效",
        "一是", "二是", "三是", "四是", "首先", "其次", "最后", "此外", "另外", "主要", "重要", "必要", "方便", "相应", "适当", "合理", "统筹",
        "本人", "我们", "他们", "大家", "自己", "今年", "去年", "近年来", "近期", "多年", "每年", "一直", "仍然", "依然", "尤其", "特别",
    ];

    /// <summary>Terms of government work that must stay whole to mean what they mean.</summary>
    public static readonly IReadOnlyList<string> GovernmentTerms =
    [
        "老旧小区", "加装电梯", "既有住宅", "物业管理", "业主委员会", "保障性住房", "公租房", "棚户区改造", "城中村", "背街小巷", "海绵城市",
        "违章建筑", "违法建设", "占道经营", "垃圾分类", "生活垃圾", "建筑垃圾", "公共厕所", "市容环境", "渣土车", "共享单车", "停车位", "停车场",
        "充电桩", "公交线路", "公交站台", "公交专用道", "网约车", "出租车", "农村公路", "客运站", "货车", "交通信号灯", "红绿灯", "斑马线",
        "电动自行车", "交通拥堵", "学区", "课后服务", "课后托管", "双减", "义务教育", "学前教育", "普惠性幼儿园", "职业教育", "校外培训", "校车",
        "家庭医生", "分级诊疗", "医联体", "基层医疗", "社区卫生服务中心", "乡镇卫生院", "村卫生室", "急救站", "疫苗接种", "医保", "医疗保险",
        "异地就医", "门诊统筹", "慢性病", "集中带量采购", "长期护理保险", "养老服务", "居家养老", "医养结合", "养老机构", "最低生活保障", "低保",
        "特困人员", "残疾人", "留守儿童", "殡葬", "婚姻登记", "社会救助", "养老保险", "失业保险", "工伤保险", "社保卡", "农民工", "欠薪",
        "就业创业", "灵活就业", "职业技能培训", "劳动仲裁", "高标准农田", "乡村振兴", "人居环境", "农村厕所", "种粮补贴", "土地流转", "家庭农场",
        "农民专业合作社", "农产品", "畜禽养殖", "动物防疫", "农村饮水", "河长制", "黑臭水体", "污水处理", "供水管网", "雨污分流", "防洪", "水库",
        "大气污染", "扬尘", "噪声污染", "油烟", "秸秆焚烧", "土壤污染", "环境影响评价", "碳达峰", "食品安全", "预付卡", "价格欺诈", "特种设备",
        "电梯安全", "知识产权", "营商环境", "市场主体", "个体工商户", "消费者权益", "安全生产", "应急避难场所", "消防通道", "防汛", "地质灾害",
        "危险化学品", "燃气安全", "电信诈骗", "治安", "户籍", "身份证", "交通违法", "社区矫正", "法律援助", "人民调解", "公共法律服务", "普法",
        "专精特新", "数字经济", "工业园区", "5G基站", "中小企业", "制造业", "新能源汽车", "产业链", "招商引资", "重大项目", "价格监测", "粮食储备",
        "夜间经济", "步行街", "农贸市场", "外贸", "电子商务", "文物保护", "非物质文化遗产", "全域旅游", "旅游景区", "公共文化", "图书馆",
        "全民健身", "体育场馆", "国土空间规划", "不动产登记", "宅基地", "耕地保护", "土地征收", "城乡规划", "12345热线", "政务服务", "一网通办",
    ];

    /// <summary>
    /// The usual field taxonomy of suggestion work (code, 名称, English, keywords). The codes of the fields an
    /// earlier version stored as free text (transport, education, ...) are kept, so old suggestions stay valid.
    /// </summary>
    public static readonly IReadOnlyList<(string Code, string Name, string English, string Keywords)> Fields =
    [
        ("economy", "经济发展和改革", "Economic development and reform", "经济发展 发展规划 重大项目 项目审批 价格 物价 粮食 能源 电力 天然气 营商环境 民营经济 投资 以工代赈 社会信用"),
        ("industry-it", "工业和信息化", "Industry and IT", "工业 制造业 企业 工业园区 产业园 专精特新 中小企业 数字经济 信息化 5G 通信 基站 宽带 网络 新能源汽车 产业链 技术改造 节能"),
        ("finance", "财政和税收", "Public finance", "财政 预算 资金 补贴 专项资金 政府债务 税收 政府采购 国有资产 转移支付"),
        ("education", "教育", "Education", "教育 学校 学生 教师 幼儿园 中小学 义务教育 学前教育 职业教育 高中 课后服务 校园 学位 招生 校车 双减 托管 辅导"),
        ("science-technology", "科技", "Science and technology", "科技 创新 研发 科技成果 高新技术企业 人才 实验室 孵化器"),
        ("public-security", "公安和社会治安", "Public security", "公安 治安 派出所 警务 户籍 身份证 交通违法 交警 电信诈骗 反诈 监控 安保 噪音扰民 违法犯罪"),
        ("civil-affairs", "民政", "Civil affairs", "民政 养老 养老机构 居家养老 低保 最低生活保障 社会救助 特困 困难群众 残疾人 儿童福利 留守儿童 殡葬 墓地 婚姻登记 社区治理 社会组织 地名"),
        ("justice", "司法和法治", "Justice and rule of law", "司法 法治 法律援助 公共法律服务 人民调解 社区矫正 普法 律师 公证 司法鉴定 行政复议"),
        ("social-security", "人力资源和社会保障", "Employment and social security", "就业 创业 社保 社会保险 养老保险 失业保险 工伤保险 社保卡 养老金 工资 欠薪 农民工 劳动合同 劳动仲裁 职业技能培训 技工 人才引进 退休"),
        ("natural-resources", "自然资源和规划", "Natural resources and planning", "规划 国土空间 土地 用地 耕地 宅基地 不动产登记 房产证 征地 拆迁 测绘 矿产 林业 地质"),
        ("environment", "生态环境", "Ecology and environment", "生态环境 环境保护 污染 大气 空气质量 扬尘 噪声 油烟 水污染 黑臭水体 土壤 固体废物 危废 排污 环评 碳排放 秸秆焚烧"),
        ("urban-construction", "住房和城乡建设", "Housing and urban-rural construction", "住房 城乡建设 房地产 商品房 物业 老旧小区 改造 加装电梯 保障性住房 公租房 棚户区 建筑工地 建筑质量 燃气 燃气管道 市政 道路建设 排水 海绵城市 村镇建设"),
        ("transport", "交通运输", "Transport", "交通 公交 公交车 线路 站台 地铁 轨道交通 出租车 网约车 客运 货运 公路 农村公路 桥梁 道路 停车 港口 航道 物流 驾校"),
        ("water", "水务和水利", "Water", "水利 水务 供水 自来水 饮水 水库 河道 河湖 河长制 防洪 排涝 灌溉 水土保持 污水管网 雨污分流 节水 水资源"),
        ("agriculture", "农业农村", "Agriculture and rural affairs", "农业 农村 农民 乡村振兴 耕地 高标准农田 种植 养殖 畜牧 渔业 农产品 农机 种子 化肥 合作社 家庭农场 人居环境 农村厕所 村庄 动物防疫"),
        ("commerce", "商务", "Commerce", "商务 商贸 消费 市场 商场 步行街 夜间经济 农贸市场 菜市场 外贸 出口 电子商务 电商 物流配送 会展 招商引资"),
        ("culture-tourism", "文化和旅游", "Culture and tourism", "文化 旅游 景区 文物 古建筑 非物质文化遗产 非遗 博物馆 图书馆 文化馆 演出 广播电视 体育 全民健身 健身 体育场馆 民宿"),
        ("health", "卫生健康", "Health", "卫生 健康 医疗 医院 医生 护士 看病 就医 家庭医生 社区卫生 乡镇卫生院 急救 疾病预防 传染病 疫苗 妇幼 托育 中医 心理健康 药品"),
        ("medical-insurance", "医疗保障", "Medical insurance", "医保 医疗保险 医疗保障 报销 异地就医 门诊 住院 慢性病 大病保险 药品集采 医保目录 长期护理保险 医疗救助 参保 缴费"),
        ("emergency", "应急管理和安全生产", "Emergency management and work safety", "应急 安全生产 事故 消防 火灾 防汛 抗旱 地震 地质灾害 危险化学品 烟花爆竹 避难场所 救援 森林防火"),
        ("market-regulation", "市场监管", "Market regulation", "市场监管 食品安全 餐饮 药品安全 特种设备 电梯安全 价格 收费 消费者 投诉 预付卡 虚假宣传 质量 计量 标准 知识产权 商标 个体工商户 登记"),
        ("city-management", "城市管理", "City management", "城市管理 城管 市容 环境卫生 垃圾 垃圾分类 公厕 占道经营 摊贩 违章建筑 违建 广告牌 路灯 绿化 公园 园林 渣土 共享单车 停放"),
        ("other", "其他", "Other", "其他"),
    ];

    /// <summary>Free-text field values an earlier version may hold, mapped to taxonomy codes (by the migration too).</summary>
    public static readonly IReadOnlyDictionary<string, string> LegacyFieldNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["交通"] = "transport",
        ["交通运输"] = "transport",
        ["教育"] = "education",
        ["卫生"] = "health",
        ["医疗卫生"] = "health",
        ["卫生健康"] = "health",
        ["水利"] = "water",
        ["水务"] = "water",
        ["城建"] = "urban-construction",
        ["城乡建设"] = "urban-construction",
        ["城市建设"] = "urban-construction",
        ["农业"] = "agriculture",
        ["农业农村"] = "agriculture",
        ["三农"] = "agriculture",
        ["环保"] = "environment",
        ["环境"] = "environment",
        ["生态环境"] = "environment",
        ["ecology"] = "environment",
        ["社保"] = "social-security",
        ["社会保障"] = "social-security",
        ["公安"] = "public-security",
        ["市场监管"] = "market-regulation",
        ["文化旅游"] = "culture-tourism",
        ["文旅"] = "culture-tourism",
        ["工业"] = "industry-it",
        ["工信"] = "industry-it",
        ["民政"] = "civil-affairs",
        ["司法"] = "justice",
        ["财政"] = "finance",
        ["城管"] = "city-management",
        ["城市管理"] = "city-management",
        ["应急"] = "emergency",
        ["医保"] = "medical-insurance",
        ["商务"] = "commerce",
        ["发改"] = "economy",
        ["经济"] = "economy",
        ["规划"] = "natural-resources",
        ["自然资源"] = "natural-resources",
    };
}
