package org.crmlake.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest the Airflow DAGs are built from ({@code crm jobs --json}, checked in as
 * {@code dags/manifest.json}): per DAG, each job's {@code crm} command, tables and upstream jobs.
 */
public final class JobManifest {
    /** Stands for the logical date in a command; the DAG puts Airflow's {@code {{ ds }}} there. */
    public static final String DATE = "{date}";

    private JobManifest() {
    }

    public static String json() {
        Map<String, Object> dags = new LinkedHashMap<>();
        dags.put("crm_daily", entries(JobRegistry.daily()));
        dags.put("crm_training", entries(JobRegistry.training()));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("generated_by", "crm jobs --json > dags/manifest.json");
        manifest.put("dags", dags);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(manifest) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, Object>> entries(List<Job> jobs) {
        Map<String, List<String>> upstream = JobRegistry.upstream(jobs);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Job j : jobs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", j.name());
            m.put("description", j.description());
            m.put("command", List.of("run", j.name(), "--date", DATE));
            m.put("inputs", j.inputs());
            m.put("outputs", j.outputs());
            m.put("upstream", upstream.get(j.name()));
            m.put("gate", j.gate());
            out.add(m);
        }
        return out;
    }
}
