package org.crmlake.cli;

import java.util.ArrayList;
import java.util.List;
import org.crmlake.ingest.IngestException;
import org.crmlake.quality.QualityGateException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code crm} command line: every pipeline job is a subcommand. Mistakes a user can fix (a
 * wrong argument, a bad mapping file, an export that breaks its contract, a quality breach) print
 * one line naming the fix; anything else prints its stack trace.
 */
@Command(name = "crm", mixinStandardHelpOptions = true, version = "crm 0.1.0",
        description = {"Analytical CRM lakehouse: ingest CRM, ERP, web and call-centre exports into Delta,",
                "conform them, check their quality, and build one customer view.",
                "Start with: crm demo"},
        subcommands = {DemoCommand.class, GenerateCommand.class, IngestCommand.class, ConformCommand.class,
                QualityCommand.class, ResolveCommand.class, EvaluateCommand.class, Build360Command.class,
                ClvCommand.class, RecommendCommand.class, FeaturesCommand.class, TrainCommand.class, ScoreCommand.class,
                SegmentCommand.class, PublishCommand.class, SqlCommand.class, AudienceCommand.class, ForgetCommand.class,
                KeysCommand.class, BenchCommand.class,
                ModelsCommand.class, DictionaryCommand.class, RunCommand.class, JobsCommand.class,
                CommandLine.HelpCommand.class})
public final class CrmCommand implements Runnable {
    static final int USER_ERROR = 2;
    static final int QUALITY_GATE = 3;
    /** The lake's storage refused a write (disk full, read-only, permission): retrying later may pass. */
    static final int STORAGE_ERROR = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CrmCommand());
        reflowDescriptions(cli);
        cli.setUsageHelpAutoWidth(true);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof QualityGateException) {
                cmd.getErr().println("crm: " + e.getMessage());
                return QUALITY_GATE;
            }
            if (e instanceof IllegalArgumentException || e instanceof IngestException) {
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                return USER_ERROR;
            }
            for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
                if (t instanceof org.crmlake.lake.DataKeys.KeyException) {
                    cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + t.getMessage());
                    return USER_ERROR;
                }
            }
            String storage = storageProblem(e);
            if (storage != null) {
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": the lake's storage refused a write ("
                        + storage + "). Free space or fix the permissions (or point --lake elsewhere), then run the command "
                        + "again; every table keeps its last complete version.");
                return STORAGE_ERROR;
            }
            throw e;
        });
        return cli;
    }

    /** The storage failure somewhere in the cause chain (disk full, read-only file system, permission), or null. */
    static String storageProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            for (String known : List.of("No space left on device", "Disk quota exceeded", "Read-only file system",
                    "Permission denied")) {
                if (m.contains(known)) {
                    return known;
                }
            }
            if (t instanceof java.nio.file.AccessDeniedException denied) {
                return "permission denied: " + denied.getFile();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /**
     * The commands' descriptions are written as short source lines; picocli would wrap each line on
     * its own (a line of 90 characters becomes one of 80 and one of 10). Joined into paragraphs, they
     * wrap to the terminal's width instead.
     */
    private static void reflowDescriptions(CommandLine cli) {
        CommandLine.Model.UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
        usage.description(paragraphs(usage.description()));
        cli.getSubcommands().values().forEach(CrmCommand::reflowDescriptions);
    }

    /**
     * A line continues the previous one unless it is indented (an example's continuation), follows a
     * colon (a list), or starts a sentence after one that ended the line (a new thought, an example).
     */
    static String[] paragraphs(String[] lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String previous = out.isEmpty() ? null : out.getLast();
            boolean newLine = previous == null || line.isEmpty() || Character.isWhitespace(line.charAt(0))
                    || previous.endsWith(":")
                    || previous.endsWith(".") && Character.isUpperCase(line.charAt(0));
            if (newLine) {
                out.add(line);
            } else {
                out.set(out.size() - 1, previous + " " + line);
            }
        }
        return out.toArray(String[]::new);
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
