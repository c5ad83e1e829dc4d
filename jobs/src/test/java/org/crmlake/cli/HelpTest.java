package org.crmlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpTest {

    @Test
    void sourceLinesJoinIntoParagraphsButExamplesAndListsKeepTheirLines() {
        String[] out = CrmCommand.paragraphs(new String[] {
                "Train a model; the best of the algorithms becomes champion",
                "only when it beats the current one.",
                "Cutoffs: the validation cutoff",
                "is the last one.",
                "Examples:",
                "  crm train --model churn",
                "  crm train --model propensity"});
        assertThat(out).containsExactly(
                "Train a model; the best of the algorithms becomes champion only when it beats the current one.",
                "Cutoffs: the validation cutoff is the last one.",
                "Examples:",
                "  crm train --model churn",
                "  crm train --model propensity");
    }

    /** A description line cut short and continued on the next line is what picocli does to long source lines. */
    @Test
    void noCommandsHelpBreaksASentenceInTwo() {
        List<String> broken = new ArrayList<>();
        for (Map.Entry<String, CommandLine> command : everyCommand(CrmCommand.commandLine(), "crm").entrySet()) {
            StringWriter help = new StringWriter();
            command.getValue().usage(new PrintWriter(help));
            List<String> lines = help.toString().lines().toList();
            for (int i = 0; i + 1 < lines.size(); i++) {
                String line = lines.get(i);
                String next = lines.get(i + 1);
                if (!line.isBlank() && !line.startsWith(" ") && line.length() < 50 && !next.isBlank()
                        && !next.startsWith(" ") && Character.isLowerCase(next.charAt(0))) {
                    broken.add(command.getKey() + ": \"" + line + "\" / \"" + next + "\"");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    /** Example lines are kept as they are written, so one longer than the 80 columns of a terminal would wrap. */
    @Test
    void everyExampleLineFitsEightyColumns() {
        List<String> tooLong = new ArrayList<>();
        everyCommand(CrmCommand.commandLine(), "crm").forEach((name, command) -> {
            for (String line : command.getCommandSpec().usageMessage().description()) {
                if ((line.startsWith("Example") || line.startsWith(" ")) && line.length() > 80) {
                    tooLong.add(name + ": " + line);
                }
            }
        });
        assertThat(tooLong).isEmpty();
    }

    private static Map<String, CommandLine> everyCommand(CommandLine cli, String name) {
        Map<String, CommandLine> all = new java.util.LinkedHashMap<>();
        all.put(name, cli);
        cli.getSubcommands().forEach((sub, c) -> all.putAll(everyCommand(c, name + " " + sub)));
        return all;
    }
}
