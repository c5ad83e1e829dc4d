package org.crmlake.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', nullValues = "null", ignoreLeadingAndTrailingWhitespace = false, textBlock = """
            john smith|John Smith
              JOHN   SMITH |John Smith
            ＪＯＨＮ　ｓｍｉｔｈ|John Smith
            mcdonald|Mcdonald
            McDonald|McDonald
            mary-jane o'brien|Mary-Jane O'Brien
            JOSÉ ÁLVAREZ|José Álvarez
            张伟|张伟
            张 伟|张伟
             欧阳　修 |欧阳修
            Wei 张|Wei 张
            \u0020\t\u3000|null
            """)
    void normalises(String raw, String expected) {
        assertThat(Names.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            张伟               | wei zhang
            张 伟              | wei zhang
            Zhang Wei          | wei zhang
            WEI ZHANG          | wei zhang
            ｚｈａｎｇ　ｗｅｉ       | wei zhang
            zhang, wei.        | wei zhang
            曾国藩              | guofan zeng
            Guofan Zeng        | guofan zeng
            单雄信              | shan xiongxin
            單雄信              | shan xiongxin
            歐陽修              | ouyang xiu
            欧阳修              | ouyang xiu
            Ouyang Xiu         | ouyang xiu
            José Álvarez       | alvarez jose
            Mary-Jane O'Brien  | brien jane mary o
            ---                | null
            """)
    void buildsLatinKeys(String raw, String key) {
        assertThat(Names.latinKey(raw)).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            张伟, true
            欧阳 修, true
            阿卜杜拉·买买提, true
            Zhang Wei, false
            张Wei, false
            123, false
            '', false
            """)
    void detectsHan(String s, boolean han) {
        assertThat(Names.isHan(s)).isEqualTo(han);
    }

    @Test
    void similarityComparesKeys() {
        assertThat(Names.similarity("张伟", "WEI ZHANG")).isEqualTo(1.0);
        assertThat(Names.similarity("Zhang Wei", "Zhang Wie")).isGreaterThan(0.9);
        assertThat(Names.similarity("Zeng Guo Fan", "曾国藩")).isGreaterThan(0.8);
        assertThat(Names.similarity("Zhang Wei", "Li Na")).isLessThan(0.7);
        assertThat(Names.similarity(null, "Li Na")).isEqualTo(0.0, within(0.0));
        assertThat(Names.similarity("!!!", "Li Na")).isEqualTo(0.0);
    }

    @Test
    void nullInNullOut() {
        assertThat(Names.normalize(null)).isNull();
        assertThat(Names.latinKey(null)).isNull();
        assertThat(Names.isHan(null)).isFalse();
    }

    @Test
    void latinKeyIsThreadSafe() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String name = i % 2 == 0 ? "张伟" : "欧阳修";
                futures.add(pool.submit(() -> Names.latinKey(name)));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(i % 2 == 0 ? "wei zhang" : "ouyang xiu");
            }
        }
    }

    /** Over name-like text: for arbitrary Unicode (e.g. Han that ICU cannot romanise) keys may shift. */
    @Property(tries = 500)
    void keysAndNamesAreIdempotent(@ForAll("nameLike") String raw) {
        String key = Names.latinKey(raw);
        if (key != null) {
            assertThat(Names.latinKey(key)).isEqualTo(key);
        }
        String name = Names.normalize(raw);
        if (name != null) {
            assertThat(Names.normalize(name)).isEqualTo(name);
        }
    }

    @Provide
    Arbitrary<String> nameLike() {
        return Arbitraries.strings().withChars("张伟王李欧阳修曾国藩单雄單歐 abcxyzJOSÉé-'·.ＡＢｚ\u3000\t")
                .ofMaxLength(16);
    }
}
