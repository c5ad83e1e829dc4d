package org.crmlake.generate;

import com.ibm.icu.text.Transliterator;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** Embedded name, street and company lists for both locales, and pinyin via ICU. */
final class NameBank {

    static final List<String> ZH_SURNAMES = List.of(
            "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
            "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
            "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
            "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金");

    static final String ZH_GIVEN =
            "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国红梅玉兰志强春梅海燕"
                    + "晓东文杰浩然子涵欣怡宇轩梓萱一诺雨桐思远嘉怡俊杰佳琪欣然博文雅婷家豪丹丹"
                    + "晨曦天宇小龙慧敏婷婷鹏飞振华立新淑珍秀兰桂芳凤英玉梅建华德明永强金凤晓燕"
                    + "亮健辉斌宁琳璐瑶颖倩雪薇楠彬鑫睿哲翔凯毅";

    static final List<String> EN_FIRST = List.of(
            "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "William",
            "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
            "Charles", "Karen", "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Margaret", "Anthony",
            "Betty", "Mark", "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew",
            "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa",
            "George", "Deborah", "Timothy", "Stephanie", "Ronald", "Rebecca", "Edward", "Laura", "Jason",
            "Sharon", "Jeffrey", "Cynthia", "Ryan", "Kathleen", "Jacob", "Amy", "Gary", "Angela",
            "Nicholas", "Helen", "Eric", "Anna", "Jonathan", "Brenda", "Katherine", "Samuel", "Olivia");

    static final List<String> EN_LAST = List.of(
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
            "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
            "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez",
            "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
            "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
            "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards",
            "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez",
            "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "O'Brien", "McDonald");

    /** Formal name -> everyday nickname, the classic duplicate-contact trap. */
    static final Map<String, String> NICKNAMES = Map.ofEntries(
            Map.entry("Robert", "Bob"), Map.entry("William", "Bill"), Map.entry("Elizabeth", "Liz"),
            Map.entry("Richard", "Dick"), Map.entry("Michael", "Mike"), Map.entry("James", "Jim"),
            Map.entry("Jennifer", "Jen"), Map.entry("Katherine", "Kate"), Map.entry("Christopher", "Chris"),
            Map.entry("Joseph", "Joe"), Map.entry("Thomas", "Tom"), Map.entry("Daniel", "Dan"),
            Map.entry("Matthew", "Matt"), Map.entry("Anthony", "Tony"), Map.entry("Margaret", "Peggy"),
            Map.entry("Nicholas", "Nick"), Map.entry("Jonathan", "Jon"), Map.entry("Samuel", "Sam"),
            Map.entry("Timothy", "Tim"), Map.entry("Steven", "Steve"), Map.entry("Rebecca", "Becky"),
            Map.entry("Deborah", "Debbie"), Map.entry("Kimberly", "Kim"), Map.entry("Edward", "Ed"));

    record City(String city, String district, String postcodePrefix) {
    }

    static final List<City> ZH_CITIES = List.of(
            new City("上海市", "浦东新区", "200"), new City("上海市", "徐汇区", "200"), new City("北京市", "朝阳区", "100"),
            new City("北京市", "海淀区", "100"), new City("广州市", "天河区", "510"), new City("深圳市", "南山区", "518"),
            new City("杭州市", "西湖区", "310"), new City("成都市", "武侯区", "610"), new City("南京市", "鼓楼区", "210"),
            new City("武汉市", "江汉区", "430"), new City("苏州市", "工业园区", "215"), new City("西安市", "雁塔区", "710"));
    static final List<String> ZH_ROADS = List.of("世纪大道", "南京西路", "中山路", "人民路", "解放路", "建国路",
            "长安街", "淮海中路", "科技园路", "文三路", "滨江大道", "东方路", "学院路", "和平路", "新华路");

    static final List<City> US_CITIES = List.of(
            new City("San Francisco", "CA", "941"), new City("New York", "NY", "100"), new City("Chicago", "IL", "606"),
            new City("Boston", "MA", "021"), new City("Seattle", "WA", "981"), new City("Austin", "TX", "787"),
            new City("Denver", "CO", "802"), new City("Atlanta", "GA", "303"), new City("Portland", "OR", "972"),
            new City("Los Angeles", "CA", "900"));
    /** Area codes matching {@link #US_CITIES} by position. */
    static final List<String> US_AREA = List.of("415", "212", "312", "617", "206", "512", "303", "404", "503", "213");
    static final List<String> US_STREETS = List.of("Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Pine St",
            "Elm St", "Washington Ave", "Lake View Rd", "Park Blvd", "Highland Ave", "Sunset Blvd", "Market St");

    static final List<String> ZH_COMPANY_HEAD = List.of("华信", "东方", "远航", "新创", "恒通", "中科", "瑞达", "天成",
            "金桥", "博远", "宏图", "星辰", "联创", "盛世", "万达", "安泰");
    static final List<String> ZH_COMPANY_TAIL = List.of("科技有限公司", "贸易有限公司", "信息技术有限公司",
            "实业有限公司", "电子商务有限公司", "咨询有限公司");
    static final List<String> EN_COMPANY_HEAD = List.of("Northwind", "Contoso", "Blue Harbor", "Summit", "Redwood",
            "Granite", "Pioneer", "Silverline", "Evergreen", "Brightpath", "Ironclad", "Lakeshore", "Keystone",
            "Horizon", "Cobalt", "Maple Leaf");
    static final List<String> EN_COMPANY_TAIL = List.of("Traders LLC", "Systems Inc", "Logistics Co", "Partners LLC",
            "Industries Inc", "Labs Inc");

    private final Transliterator toLatin = Transliterator.getInstance("Han-Latin; Latin-ASCII");
    private final Map<String, String> pinyinCache = new HashMap<>();

    static <T> T pick(SplittableRandom rng, List<T> list) {
        return list.get(rng.nextInt(list.size()));
    }

    static String zhGiven(SplittableRandom rng) {
        int len = rng.nextDouble() < 0.7 ? 2 : 1;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(ZH_GIVEN.charAt(rng.nextInt(ZH_GIVEN.length())));
        }
        return sb.toString();
    }

    /** Lower-case pinyin of a Han string without spaces or tones, e.g. 晓东 -> xiaodong. */
    String pinyin(String han) {
        return pinyinCache.computeIfAbsent(han,
                h -> toLatin.transliterate(h).replace(" ", "").replace("'", "").toLowerCase(Locale.ROOT));
    }

    static String titleCase(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String company(boolean zh, long seed, int companyIndex) {
        SplittableRandom rng = Seeds.stream(seed, companyIndex, zh ? 701 : 702);
        return zh ? pick(rng, ZH_COMPANY_HEAD) + pick(rng, ZH_COMPANY_TAIL)
                : pick(rng, EN_COMPANY_HEAD) + " " + pick(rng, EN_COMPANY_TAIL);
    }
}
