package org.crmlake.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobManifest;
import org.crmlake.pipeline.JobRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Option;

@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = {"List the daily and training jobs in run order with the tables they read and write.",
                "--json prints the manifest the Airflow DAGs are built from (one source of truth), kept in",
                "dags/manifest.json: crm jobs --json > dags/manifest.json"})
final class JobsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Machine-readable manifest.")
    boolean json;

    @Option(names = "--check", paramLabel = "FILE",
            description = "Check that each command in FILE (a JSON list of argument lists, as a DAG renders them) parses with this crm.")
    Path check;

    @Override
    public Integer call() throws IOException {
        if (json) {
            System.out.print(JobManifest.json());
            return 0;
        }
        if (check != null) {
            return check(check);
        }
        print("Daily pipeline (crm run JOB --date D; Airflow DAG crm_daily):", JobRegistry.daily());
        print("Weekly training (Airflow DAG crm_training):", JobRegistry.training());
        return 0;
    }

    private static int check(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--check " + file + ": no such file");
        }
        List<List<String>> commands = new ObjectMapper().readValue(file.toFile(), new TypeReference<>() { });
        int bad = 0;
        for (List<String> args : commands) {
            String problem = problem(args);
            System.out.println((problem == null ? "ok     crm " : "error  crm ") + String.join(" ", args)
                    + (problem == null ? "" : "\n       " + problem));
            bad += problem == null ? 0 : 1;
        }
        System.out.printf("%d of %d commands parse%n", commands.size() - bad, commands.size());
        return bad == 0 ? 0 : CrmCommand.USER_ERROR;
    }

    /** Why the arguments would not run, or null: picocli's parse, plus the job name for {@code run}. */
    private static String problem(List<String> args) {
        try {
            ParseResult parsed = CrmCommand.commandLine().parseArgs(args.toArray(String[]::new));
            if (parsed.hasSubcommand() && parsed.subcommand().commandSpec().name().equals("run")) {
                JobRegistry.byName(parsed.subcommand().matchedPositional(0).getValue());
            }
            return null;
        } catch (ParameterException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static void print(String title, List<Job> jobs) {
        System.out.println(title);
        Map<String, List<String>> upstream = JobRegistry.upstream(jobs);
        for (Job j : jobs) {
            List<String> after = upstream.get(j.name());
            System.out.printf("  %-20s %s%s%n%22s reads  %s%n%22s writes %s%n%22s after  %s%n", j.name(), j.description(),
                    j.gate() ? " (gate: a failure stops the run)" : "", "", j.inputs(), "", j.outputs(), "",
                    after.isEmpty() ? "-" : after);
        }
    }
}
