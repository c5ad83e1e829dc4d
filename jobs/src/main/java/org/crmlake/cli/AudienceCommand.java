package org.crmlake.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.crmlake.audience.AudienceExporter;
import org.crmlake.audience.AudienceRequest;
import org.crmlake.audience.Channel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audience", mixinStandardHelpOptions = true,
        description = "Audiences for marketing: lists of contactable customers from segments and scores (docs/AUDIENCES.md).",
        subcommands = AudienceCommand.Export.class)
final class AudienceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Export an audience as CSV or Parquet: customer_id, the channel's contact point,",
                    "score, decile and reasons, for a segment's current members, a model's customers",
                    "above a threshold, or both (intersection). Opted-out, unconsented (unless",
                    "--include-unknown-consent), forgotten and, for sales reps, other reps' customers",
                    "are suppressed and counted. Your role (--access file) decides what you see;",
                    "every attempt is written to ops.audit_log (docs/AUDIENCES.md). Example:",
                    "  crm audience export --user demo-marketing --segment win_back --model churn \\",
                    "    --min-score 0.6 --channel email --hash --out work/audiences/win_back.csv"})
    static final class Export implements Callable<Integer> {
        @Mixin
        LakeOptions where;

        @Option(names = "--segment", paramLabel = "NAME", description = "Current members of this segment (gold.segment_membership).")
        String segment;

        @Option(names = "--model", paramLabel = "churn|propensity", description = "Customers scored by this model on the date (gold.scores).")
        String model;

        @Option(names = "--min-score", paramLabel = "P", description = "Keep scores >= P (0..1); needs --model.")
        Double minScore;

        @Option(names = "--min-decile", paramLabel = "D",
                description = "Keep deciles 1..D (1 = the highest-scoring tenth, so 2 = the top fifth); needs --model.")
        Integer minDecile;

        @Option(names = "--channel", required = true, paramLabel = "email|sms|phone",
                description = "Channel: its contact point is exported and its consent decides who may be contacted.")
        String channel;

        @Option(names = "--hash", description = "Write SHA-256 of the normalised e-mail / E.164 phone (ad-platform customer match) instead of clear text.")
        boolean hash;

        @Option(names = "--include-unknown-consent",
                description = "Also export customers with no consent recorded for the channel (default: opt_in required).")
        boolean includeUnknownConsent;

        @Option(names = "--date", paramLabel = "yyyy-MM-dd", description = "customer_360 and scores date (default: the newest).")
        LocalDate date;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file, .csv or .parquet; written atomically.")
        Path out;

        @Option(names = "--format", paramLabel = "csv|parquet", description = "Format when the extension does not say.")
        String format;

        @Mixin
        CallerOptions caller;

        @Override
        public Integer call() {
            Console console = new Console();
            AudienceRequest request = new AudienceRequest(segment, model, minScore, minDecile, Channel.parse(channel), hash,
                    includeUnknownConsent, date, out, format);
            String who = caller.user();
            console.progress("audience export by " + who + ": " + request.definition());
            AudienceExporter exporter = new AudienceExporter(where.open("crm-audience"), caller.access);
            console.lines(exporter.export(who, request).summary());
            return 0;
        }
    }
}
