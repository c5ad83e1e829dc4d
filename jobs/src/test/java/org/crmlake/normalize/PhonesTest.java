package org.crmlake.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhonesTest {

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(nullValues = "null", delimiter = '|', textBlock = """
            +86 138 0013 8000 | null          | +8613800138000
            13800138000       | null          | +8613800138000
            13800138000       | CN            | +8613800138000
            13800138000       | US            | +8613800138000
            138-0013-8000     | null          | +8613800138000
            138-0013-8000     | United States | +8613800138000
            0086 13800138000  | null          | +8613800138000
            0086 13800138000  | US            | +8613800138000
            8613800138000     | null          | +8613800138000
            １３８００１３８０００   | 中国            | +8613800138000
            ＋８６ １３８００１３８０００ | null      | +8613800138000
            010 8888 6666     | China         | +861088886666
            (415) 555-0132    | null          | +14155550132
            (415) 555-0132    | CN            | +14155550132
            +1 415-555-0132   | null          | +14155550132
            +1 415-555-0132   | China         | +14155550132
            415.555.0132      | null          | +14155550132
            4155550132        | USA           | +14155550132
            1 415 555 0132    | null          | +14155550132
            14755550132       | US            | +14755550132
            14755550132       | null          | +8614755550132
            """)
    void normalisesToE164(String raw, String hint, String expected) {
        assertThat(Phones.toE164(raw, hint)).isEqualTo(expected);
        assertThat(Phones.invalidReason(raw, hint)).isNull();
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(nullValues = "null", delimiter = '|', textBlock = """
            12345             | null | too short
            12345             | CN   | too short
            ''                | null | empty
            abc               | US   | not a number
            ---               | null | not a number
            1234567890123456  | null | too long
            12800138000       | CN   | invalid for region CN
            12800138000       | null | invalid for region US
            +86 128 0013 8000 | US   | invalid for region CN
            1234567           | null | unknown region
            """)
    void rejectsWithReason(String raw, String hint, String reason) {
        assertThat(Phones.toE164(raw, hint)).isNull();
        assertThat(Phones.invalidReason(raw, hint)).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", textBlock = """
            CN, CN
            cn, CN
            China, CN
            中国, CN
            USA, US
            United States, US
            美国, US
            GB, GB
            Narnia, null
            """)
    void mapsCountryHints(String hint, String region) {
        assertThat(Phones.regionOf(hint)).isEqualTo(region);
    }

    @Test
    void nullInNullOut() {
        assertThat(Phones.toE164(null, "CN")).isNull();
        assertThat(Phones.invalidReason(null, "CN")).isNull();
        assertThat(Phones.regionOf(null)).isNull();
    }

    @Property(tries = 2000)
    void toE164IsTotalAndStable(@ForAll String raw, @ForAll("hints") String hint) {
        String e164 = Phones.toE164(raw, hint);
        if (e164 != null) {
            assertThat(e164).startsWith("+").matches("\\+\\d{7,15}");
            assertThat(Phones.toE164(e164, null)).isEqualTo(e164);
            assertThat(Phones.invalidReason(raw, hint)).isNull();
        } else {
            assertThat(Phones.invalidReason(raw, hint)).isNotNull();
        }
    }

    @Property(tries = 2000)
    void digitStringsNeverBreakIt(@ForAll("digitish") String raw, @ForAll("hints") String hint) {
        String e164 = Phones.toE164(raw, hint);
        if (e164 != null) {
            assertThat(Phones.toE164(e164, "US")).isEqualTo(e164);
        }
    }

    @Provide
    Arbitrary<String> hints() {
        return Arbitraries.of("CN", "US", "China", "中国", "USA", "XX").injectNull(0.3);
    }

    @Provide
    Arbitrary<String> digitish() {
        return Arbitraries.strings().withChars("0123456789+-() .").ofMinLength(5).ofMaxLength(20);
    }
}
