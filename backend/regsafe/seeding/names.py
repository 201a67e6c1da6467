"""Facts and word lists the demo seeder draws from.

Region codes are real county-level codes of GB/T 2260 (行政区划代码) for the provinces the
demo is most often run for; any other province falls back to its capital's districts
``XX0102``..``XX0106``. Names are common Chinese surnames (roughly in order of frequency)
and given names typical of people born 1960–2000. Company names are invented.
"""

from __future__ import annotations

from typing import NamedTuple

from regsafe.identity.models import EmployerKind, Specialty


def _pairs(text: str) -> dict[str, str]:
    """ "440103 荔湾区 440104 越秀区" → {"440103": "荔湾区", "440104": "越秀区"}."""
    words = text.split()
    return dict(zip(words[::2], words[1::2], strict=True))


# --- provinces, cities, districts ------------------------------------------------------

PROVINCES = _pairs(
    """
    11 北京市 12 天津市 13 河北省 14 山西省 15 内蒙古自治区 21 辽宁省 22 吉林省
    23 黑龙江省 31 上海市 32 江苏省 33 浙江省 34 安徽省 35 福建省 36 江西省 37 山东省
    41 河南省 42 湖北省 43 湖南省 44 广东省 45 广西壮族自治区 46 海南省 50 重庆市
    51 四川省 52 贵州省 53 云南省 54 西藏自治区 61 陕西省 62 甘肃省 63 青海省
    64 宁夏回族自治区 65 新疆维吾尔自治区
    """
)
# Short forms as used at the start of company names (广东XX化工有限公司).
PROVINCE_SHORT = _pairs(
    """
    11 北京 12 天津 13 河北 14 山西 15 内蒙古 21 辽宁 22 吉林 23 黑龙江 31 上海 32 江苏
    33 浙江 34 安徽 35 福建 36 江西 37 山东 41 河南 42 湖北 43 湖南 44 广东 45 广西
    46 海南 50 重庆 51 四川 52 贵州 53 云南 54 西藏 61 陕西 62 甘肃 63 青海 64 宁夏
    65 新疆
    """
)
# Prefecture-level cities (first four digits); municipalities' "01" is the city itself.
CITIES = _pairs(
    """
    1101 北京市 1201 天津市 1301 石家庄市 1401 太原市 1501 呼和浩特市 2101 沈阳市
    2201 长春市 2301 哈尔滨市 3101 上海市 3401 合肥市 3501 福州市 3601 南昌市
    4101 郑州市 4201 武汉市 4301 长沙市 4501 南宁市 4601 海口市 5001 重庆市 5201 贵阳市
    5301 昆明市 5401 拉萨市 6101 西安市 6201 兰州市 6301 西宁市 6401 银川市
    6501 乌鲁木齐市
    4401 广州市 4402 韶关市 4403 深圳市 4404 珠海市 4405 汕头市 4406 佛山市 4407 江门市
    4408 湛江市 4409 茂名市 4412 肇庆市 4413 惠州市 4414 梅州市 4418 清远市 4419 东莞市
    4420 中山市
    3201 南京市 3202 无锡市 3203 徐州市 3204 常州市 3205 苏州市 3206 南通市 3207 连云港市
    3208 淮安市 3209 盐城市 3210 扬州市 3211 镇江市 3212 泰州市 3213 宿迁市
    3301 杭州市 3302 宁波市 3303 温州市 3304 嘉兴市 3306 绍兴市
    3701 济南市 3702 青岛市 3703 淄博市 3704 枣庄市 3705 东营市 3706 烟台市 3707 潍坊市
    3708 济宁市 3709 泰安市 3710 威海市 3711 日照市 3713 临沂市 3714 德州市 3715 聊城市
    3716 滨州市 3717 菏泽市
    5101 成都市 5103 自贡市 5104 攀枝花市 5105 泸州市 5106 德阳市 5107 绵阳市 5108 广元市
    5109 遂宁市 5110 内江市 5111 乐山市 5113 南充市 5115 宜宾市 5117 达州市
    """
)
# County-level divisions (区、县级市; 东莞 and 中山 have none and use their city code).
DISTRICTS: dict[str, dict[str, str]] = {
    "11": _pairs(
        """
        110101 东城区 110102 西城区 110105 朝阳区 110106 丰台区 110107 石景山区
        110108 海淀区 110109 门头沟区 110111 房山区 110112 通州区 110113 顺义区
        110114 昌平区 110115 大兴区 110116 怀柔区 110117 平谷区 110118 密云区
        110119 延庆区
        """
    ),
    "31": _pairs(
        """
        310101 黄浦区 310104 徐汇区 310105 长宁区 310106 静安区 310107 普陀区
        310109 虹口区 310110 杨浦区 310112 闵行区 310113 宝山区 310114 嘉定区
        310115 浦东新区 310116 金山区 310117 松江区 310118 青浦区 310120 奉贤区
        310151 崇明区
        """
    ),
    "44": _pairs(
        """
        440103 荔湾区 440104 越秀区 440105 海珠区 440106 天河区 440111 白云区
        440112 黄埔区 440113 番禺区 440114 花都区 440115 南沙区 440117 从化区
        440118 增城区 440203 武江区 440204 浈江区 440205 曲江区 440303 罗湖区
        440304 福田区 440305 南山区 440306 宝安区 440307 龙岗区 440308 盐田区
        440309 龙华区 440310 坪山区 440311 光明区 440402 香洲区 440403 斗门区
        440404 金湾区 440507 龙湖区 440511 金平区 440513 潮阳区 440515 澄海区
        440604 禅城区 440605 南海区 440606 顺德区 440607 三水区 440608 高明区
        440703 蓬江区 440704 江海区 440705 新会区 440781 台山市 440802 赤坎区
        440803 霞山区 440902 茂南区 440904 电白区 441202 端州区 441203 鼎湖区
        441302 惠城区 441303 惠阳区 441322 博罗县 441323 惠东县 441402 梅江区
        441802 清城区 441900 东莞市 442000 中山市
        """
    ),
    "32": _pairs(
        """
        320102 玄武区 320104 秦淮区 320105 建邺区 320106 鼓楼区 320111 浦口区
        320113 栖霞区 320114 雨花台区 320115 江宁区 320116 六合区 320117 溧水区
        320205 锡山区 320206 惠山区 320211 滨湖区 320213 梁溪区 320214 新吴区
        320281 江阴市 320282 宜兴市 320302 鼓楼区 320303 云龙区 320311 泉山区
        320312 铜山区 320402 天宁区 320404 钟楼区 320411 新北区 320412 武进区
        320505 虎丘区 320506 吴中区 320507 相城区 320508 姑苏区 320509 吴江区
        320581 常熟市 320582 张家港市 320583 昆山市 320585 太仓市 320612 通州区
        320613 崇川区 320681 启东市 320703 连云区 320706 海州区 320812 清江浦区
        320902 亭湖区 320903 盐都区 321002 广陵区 321003 邗江区 321102 京口区
        321111 润州区 321202 海陵区 321302 宿城区
        """
    ),
    "33": _pairs(
        """
        330102 上城区 330105 拱墅区 330106 西湖区 330108 滨江区 330109 萧山区
        330110 余杭区 330111 富阳区 330112 临安区 330203 海曙区 330205 江北区
        330206 北仑区 330211 镇海区 330212 鄞州区 330302 鹿城区 330303 龙湾区
        330304 瓯海区 330402 南湖区 330411 秀洲区 330602 越城区 330603 柯桥区
        330604 上虞区
        """
    ),
    "37": _pairs(
        """
        370102 历下区 370103 市中区 370104 槐荫区 370105 天桥区 370112 历城区
        370113 长清区 370114 章丘区 370116 莱芜区 370202 市南区 370203 市北区
        370211 黄岛区 370212 崂山区 370213 李沧区 370214 城阳区 370215 即墨区
        370281 胶州市 370302 淄川区 370303 张店区 370304 博山区 370305 临淄区
        370402 市中区 370502 东营区 370602 芝罘区 370611 福山区 370613 莱山区
        370681 龙口市 370702 潍城区 370705 奎文区 370781 青州市 370783 寿光市
        370811 任城区 370883 邹城市 370902 泰山区 371002 环翠区 371102 东港区
        371302 兰山区 371402 德城区 371502 东昌府区 371602 滨城区 371702 牡丹区
        """
    ),
    "51": _pairs(
        """
        510104 锦江区 510105 青羊区 510106 金牛区 510107 武侯区 510108 成华区
        510112 龙泉驿区 510113 青白江区 510114 新都区 510115 温江区 510116 双流区
        510117 郫都区 510181 都江堰市 510185 简阳市 510302 自流井区 510303 贡井区
        510402 东区 510411 仁和区 510502 江阳区 510504 龙马潭区 510603 旌阳区
        510681 广汉市 510703 涪城区 510704 游仙区 510781 江油市 510802 利州区
        510903 船山区 511002 市中区 511102 市中区 511302 顺庆区 511502 翠屏区
        511702 通川区
        """
    ),
}


def districts_of(province: str) -> list[str]:
    """County-level codes of a province ("440000" or "44"), for persons and employers."""
    prefix = province[:2]
    known = DISTRICTS.get(prefix)
    if known:
        return list(known)
    return [f"{prefix}01{n:02d}" for n in range(2, 7)]


def city_of(district: str) -> str:
    """ "440305" → "深圳市"; unknown cities fall back to the province's name."""
    return CITIES.get(district[:4]) or PROVINCES.get(district[:2], "")


# --- people ---------------------------------------------------------------------------

# The hundred or so most common surnames, most frequent first (weights follow the rank).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
MALE_GIVEN = (
    "伟 强 磊 军 勇 杰 涛 明 超 刚 平 辉 鹏 华 飞 斌 波 宇 浩 凯 健 俊 峰 亮 林 龙 "
    "志强 建华 建国 建军 国强 海涛 晓东 晓明 文博 俊杰 振华 立新 德明 永强 家豪 思远 "
    "子健 浩然 宇航 博文 一鸣 文杰 志刚 海波 伟东 建平 卫东 红军 国栋 春生 国华 利民 "
    "晓峰 建伟 少华 明辉 志勇 俊峰 天宇 嘉伟 鹏飞 新华 永刚 宏伟 振宇 云飞 学军 德华 "
    "金龙 建新 文斌 志军 庆华 光明 成龙 泽民 立军 海峰"
).split()
FEMALE_GIVEN = (
    "芳 娜 敏 静 丽 艳 娟 霞 燕 玲 婷 琳 颖 倩 雪 慧 洁 琴 萍 红 梅 英 莉 丹 "
    "秀兰 桂英 秀英 海燕 红梅 雪梅 秋菊 丽娟 婷婷 晓燕 丽华 美玲 小红 春燕 玉兰 淑芬 "
    "淑华 慧敏 晓丽 静怡 欣怡 佳琪 嘉欣 雨婷 思琪 文静 晓琳 丹丹 亚楠 梦瑶 佳慧 秀珍 "
    "金凤 玉梅 晓霞 艳红 彩霞 丽萍 凤英 婉婷 春梅 晓红 建芳 丽君"
).split()

# Mobile number segments in use (号段).
PHONE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 147 150 151 152 153 155 156 157 158 159 "
    "166 173 176 177 180 181 182 183 184 185 186 187 188 189 191 198 199"
).split()

# --- employers ------------------------------------------------------------------------

# Invented two-character trade names (字号).
BRANDS = (
    "安泰 华安 恒信 远航 宏达 鑫源 正德 瑞丰 广通 金石 海川 天工 明德 兴业 永安 盛世 "
    "泰和 合力 新锐 长城 东方 卓越 嘉诚 润达 德信 大成 同舟 中诚 宏远 宝丰 鼎盛 恒通 "
    "金鼎 凯达 立信 民安 启航 瑞达 顺安 泰丰 天成 万通 伟业 祥和 鑫达 亚泰 永盛 裕丰 "
    "振兴 正元 中泰 众诚 卓信 博远 达安 鼎信 丰源 福泰 冠华 浩天 恒安 弘毅 汇通 佳和 "
    "建安 金安 锦程 九州 聚力 凯盛 坤元 联创 隆泰 茂源 铭泰 宁安 鹏程 普安 乾元 荣达 "
    "瑞和 三和 盛达 拓新 万安 伟达 协力 耀华 益安 永泰 展鹏 兆丰 致远 众安"
).split()


def _weights(text: str) -> tuple[tuple[Specialty, int], ...]:
    """ "CHEMICAL:8 OTHER:2" → ((Specialty.CHEMICAL, 8), (Specialty.OTHER, 2))."""
    pairs = (item.split(":") for item in text.split())
    return tuple((Specialty(name), int(weight)) for name, weight in pairs)


class Trade(NamedTuple):
    """A line of business: how employer names end and what their safety staff do."""

    suffix: str  # 化工有限公司
    kind: EmployerKind
    industry: str  # GB/T 4754 section (门类)
    weight: int  # how common among employers
    specialties: tuple[tuple[Specialty, int], ...]  # of the engineers employed there


_P, _S = EmployerKind.PRODUCTION_UNIT, EmployerKind.SERVICE_AGENCY
TRADES = (
    Trade("化工有限公司", _P, "C", 10, _weights("CHEMICAL:9 OTHER:1")),
    Trade("石油化工有限公司", _P, "C", 4, _weights("CHEMICAL:1")),
    Trade("精细化工股份有限公司", _P, "C", 3, _weights("CHEMICAL:1")),
    Trade("新材料科技有限公司", _P, "C", 3, _weights("CHEMICAL:2 OTHER:1")),
    Trade("建设集团有限公司", _P, "E", 10, _weights("CONSTRUCTION:1")),
    Trade("建筑工程有限公司", _P, "E", 9, _weights("CONSTRUCTION:1")),
    Trade("市政工程有限公司", _P, "E", 4, _weights("CONSTRUCTION:1")),
    Trade("路桥建设有限公司", _P, "E", 3, _weights("CONSTRUCTION:1")),
    Trade("物流有限公司", _P, "G", 5, _weights("ROAD_TRANSPORT:4 OTHER:1")),
    Trade("汽车运输有限公司", _P, "G", 4, _weights("ROAD_TRANSPORT:1")),
    Trade("危险货物运输有限公司", _P, "G", 2, _weights("ROAD_TRANSPORT:1")),
    Trade("矿业有限公司", _P, "B", 3, _weights("METAL_NONMETAL_MINE:1")),
    Trade("煤业有限公司", _P, "B", 1, _weights("COAL_MINE:1")),
    Trade("钢铁有限公司", _P, "C", 2, _weights("METAL_SMELTING:1")),
    Trade("铝业有限公司", _P, "C", 2, _weights("METAL_SMELTING:1")),
    Trade("机械制造有限公司", _P, "C", 6, _weights("OTHER:1")),
    Trade("电子科技有限公司", _P, "C", 6, _weights("OTHER:1")),
    Trade("食品有限公司", _P, "C", 3, _weights("OTHER:1")),
    Trade("燃气有限公司", _P, "D", 2, _weights("OTHER:2 CHEMICAL:1")),
    Trade("电力有限公司", _P, "D", 2, _weights("OTHER:1")),
    Trade("物业管理有限公司", _P, "K", 2, _weights("OTHER:1")),
    Trade(
        "安全技术咨询有限公司",
        _S,
        "M",
        5,
        _weights(
            "CHEMICAL:3 CONSTRUCTION:3 OTHER:3 METAL_NONMETAL_MINE:1 METAL_SMELTING:1"
            " ROAD_TRANSPORT:1 COAL_MINE:1"
        ),
    ),
    Trade(
        "安全评价有限公司",
        _S,
        "M",
        3,
        _weights("CHEMICAL:3 METAL_NONMETAL_MINE:2 OTHER:2 METAL_SMELTING:1 COAL_MINE:1"),
    ),
    Trade(
        "安全技术服务有限公司",
        _S,
        "M",
        3,
        _weights("OTHER:3 CONSTRUCTION:2 CHEMICAL:2 ROAD_TRANSPORT:1"),
    ),
)
# Name fragments that make an employer a 安全生产专业服务机构.
SERVICE_AGENCY_MARKERS = ("安全技术", "安全评价", "咨询")

# Persons not currently employed get a specialty by the national mix.
SPECIALTY_WEIGHTS = _weights(
    "CONSTRUCTION:30 OTHER:28 CHEMICAL:20 ROAD_TRANSPORT:7 METAL_NONMETAL_MINE:6"
    " METAL_SMELTING:5 COAL_MINE:4"
)
