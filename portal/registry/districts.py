"""Shanghai's sixteen districts: code, simplified, traditional and English names."""

SHANGHAI_DISTRICTS = [
    ("huangpu", "黄浦区", "黃浦區", "Huangpu"),
    ("xuhui", "徐汇区", "徐匯區", "Xuhui"),
    ("changning", "长宁区", "長寧區", "Changning"),
    ("jingan", "静安区", "靜安區", "Jing'an"),
    ("putuo", "普陀区", "普陀區", "Putuo"),
    ("hongkou", "虹口区", "虹口區", "Hongkou"),
    ("yangpu", "杨浦区", "楊浦區", "Yangpu"),
    ("minhang", "闵行区", "閔行區", "Minhang"),
    ("baoshan", "宝山区", "寶山區", "Baoshan"),
    ("jiading", "嘉定区", "嘉定區", "Jiading"),
    ("pudong", "浦东新区", "浦東新區", "Pudong New Area"),
    ("jinshan", "金山区", "金山區", "Jinshan"),
    ("songjiang", "松江区", "松江區", "Songjiang"),
    ("qingpu", "青浦区", "青浦區", "Qingpu"),
    ("fengxian", "奉贤区", "奉賢區", "Fengxian"),
    ("chongming", "崇明区", "崇明區", "Chongming"),
]
