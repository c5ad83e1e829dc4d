package org.crmlake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = {"List the pipeline jobs in run order with the tables they read and write.",
                "--json prints the manifest the Airflow DAG is built from (one source of truth)."})
final class JobsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Machine-readable manifest.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<Job> jobs = JobRegistry.daily();
        Map<String, List<String>> upstream = JobRegistry.upstream(jobs);
        if (json) {
            List<Map<String, Object>> manifest = new ArrayList<>();
            for (Job j : jobs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", j.name());
                m.put("description", j.description());
                m.put("command", List.of("run", j.name(), "--date", "{date}"));
                m.put("inputs", j.inputs());
                m.put("outputs", j.outputs());
                m.put("upstream", upstream.get(j.name()));
                manifest.add(m);
            }
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Map.of("jobs", manifest)));
            return 0;
        }
        for (Job j : jobs) {
            System.out.printf("%-18s %s%n%18s reads  %s%n%18s writes %s%n%18s after  %s%n", j.name(), j.description(),
                    "", j.inputs(), "", j.outputs(), "", upstream.get(j.name()).isEmpty() ? "-" : upstream.get(j.name()));
        }
        return 0;
    }
}
