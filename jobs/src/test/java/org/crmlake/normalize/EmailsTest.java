package org.crmlake.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmailsTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, textBlock = """
             John.Smith@Example.COM |john.smith@example.com
            ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ|john@example.com
            wang.wei+crm@mail.163.com|wang.wei+crm@mail.163.com
            12345678@qq.com|12345678@qq.com
            o'brien@my-company.co.uk|o'brien@my-company.co.uk
            \tzhang_wei@sina.cn\u3000|zhang_wei@sina.cn
            """)
    void normalises(String raw, String expected) {
        assertThat(Emails.normalize(raw)).isEqualTo(expected);
        assertThat(Emails.invalidReason(raw)).isNull();
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            john@@x.com        | more than one @
            john.smith@        | empty domain
            jo hn@x.com        | contains whitespace
            x@y.com.           | trailing dot in domain
            john.example.com   | missing @
            @x.com             | empty local part
            john@localhost     | no dot in domain
            john..smith@x.com  | invalid local part
            .john@x.com        | invalid local part
            张三@x.com          | invalid local part
            john@-x.com        | invalid domain label
            john@x..com        | invalid domain label
            john@x_y.com       | invalid domain label
            john@x.c           | invalid top-level domain
            john@x.c0m         | invalid top-level domain
            '   '              | empty
            """)
    void rejectsWithReason(String raw, String reason) {
        assertThat(Emails.normalize(raw)).isNull();
        assertThat(Emails.invalidReason(raw)).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            noemail@example.com, true
            NoEmail@gmail.com, true
            no-email@qq.com, true
            none@company.com, true
            test@test.com, true
            someone@example.org, true
            li.na@example.net, true
            a@shop.test, true
            john.smith@gmail.com, false
            testing.team@company.com, false
            john@@x.com, false
            """)
    void flagsPlaceholders(String email, boolean placeholder) {
        assertThat(Emails.isPlaceholder(email)).isEqualTo(placeholder);
    }

    @Test
    void nullInNullOut() {
        assertThat(Emails.normalize(null)).isNull();
        assertThat(Emails.invalidReason(null)).isNull();
        assertThat(Emails.isPlaceholder(null)).isFalse();
    }

    @Property(tries = 2000)
    void normalizeIsIdempotent(@ForAll("emailish") String raw) {
        String once = Emails.normalize(raw);
        if (once != null) {
            assertThat(Emails.normalize(once)).isEqualTo(once);
            assertThat(once).isEqualTo(once.strip()).doesNotContain(" ").containsOnlyOnce("@");
        }
    }

    @Provide
    Arbitrary<String> emailish() {
        Arbitrary<String> part = Arbitraries.strings().withChars("aZ9.-_+@ ＡＢｃ１．").ofMinLength(1).ofMaxLength(12);
        return Arbitraries.oneOf(
                Arbitraries.strings(),
                part,
                Combinators.combine(part, part, Arbitraries.of("com", "cn", "ＣＯＭ", "c", "org."))
                        .as((l, d, t) -> " " + l + "@" + d + "." + t + " "));
    }
}
