package org.crmlake.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.crmlake.identity.NameMatch.Level;
import org.crmlake.normalize.Names;
import org.junit.jupiter.api.Test;

class NameMatchTest {
    private static Level compare(String a, String b) {
        return NameMatch.compare(Names.latinKey(a), Names.latinKey(b));
    }

    @Test
    void hanAndPinyinInEitherOrderAreTheSameName() {
        assertThat(compare("张伟", "Wei Zhang")).isEqualTo(Level.EXACT);
        assertThat(compare("张伟", "ZHANG Wei")).isEqualTo(Level.EXACT);
        assertThat(compare("張偉", "张伟")).isEqualTo(Level.EXACT);
    }

    @Test
    void nicknamesAndTyposAreHighButNotExact() {
        assertThat(compare("Bob Smith", "Robert Smith")).isEqualTo(Level.HIGH);
        assertThat(compare("Jonathan Smith", "Jonathan Smtih")).isEqualTo(Level.HIGH);
        assertThat(compare("Katherine Miller", "Katherine Mlller")).isEqualTo(Level.HIGH);
    }

    @Test
    void familyMembersAreDifferentPeople() {
        assertThat(compare("John Smith", "Mary Smith")).isEqualTo(Level.DIFFERENT);
        // Short pinyin given names must be equal: Wei and Wen are siblings, not a typo.
        assertThat(compare("张伟", "张文")).isEqualTo(Level.DIFFERENT);
        assertThat(compare("黄文强", "黄婷华")).isEqualTo(Level.DIFFERENT);
        // One token may not stand in for two: "huang huangtinghua" is not "huang wenqiang".
        assertThat(compare("黄黄婷华", "黄文强")).isEqualTo(Level.DIFFERENT);
    }

    @Test
    void partOfANameIsWeakEvidenceAndMissingIsNoEvidence() {
        assertThat(compare("Smith", "John Smith")).isEqualTo(Level.PARTIAL);
        assertThat(compare(null, "John Smith")).isEqualTo(Level.MISSING);
        assertThat(NameMatch.compatible(null, "x")).isTrue();
    }
}
