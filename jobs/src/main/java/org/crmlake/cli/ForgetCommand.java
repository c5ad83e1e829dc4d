package org.crmlake.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.crmlake.privacy.Erasure;
import org.crmlake.privacy.Footprint;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "forget", mixinStandardHelpOptions = true,
        description = {"Right to be forgotten (docs/PRIVACY.md): removes one person from every",
                "bronze, quarantine, silver and gold table (then VACUUMs them), from the",
                "audience files the audit log lists, from the DuckDB warehouse (republished",
                "without them; the rollback copy deleted) and from the run reports. Their",
                "source ids are hashed onto privacy.suppressed_identifiers first, so",
                "re-ingesting an old export does not bring them back. Admins only; audited",
                "in ops.audit_log with counts, never the person's data. Run it while no",
                "pipeline job writes the lake. Examples:",
                "  crm forget --user demo-admin --customer C000123 --request-id DPO-42",
                "  crm forget --user demo-admin --email jane.doe@shop.cn \\",
                "    --request-id DPO-43 --dry-run"})
final class ForgetCommand implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    static final class Who {
        @Option(names = "--customer", paramLabel = "ID", description = "The person's customer id (gold.identity_map).")
        String customer;

        @Option(names = "--email", paramLabel = "ADDRESS", description = "An e-mail of the person, as they wrote it.")
        String email;

        @Option(names = "--phone", paramLabel = "E164", description = "A phone of the person in E.164, e.g. +8613812345678.")
        String phone;
    }

    @Option(names = "--request-id", required = true, paramLabel = "ID",
            description = "Your reference for the request (the DPO ticket); recorded instead of the person's data.")
    String requestId;

    @Option(names = "--retain-hours", defaultValue = "0", paramLabel = "H",
            description = "VACUUM keeps files newer than this (default: ${DEFAULT-VALUE}, deleted at once).")
    int retainHours;

    @Option(names = "--dry-run", description = "Count what would be removed, change nothing.")
    boolean dryRun;

    @Option(names = "--warehouse", paramLabel = "FILE",
            description = "DuckDB warehouse (default: $CRM_WAREHOUSE, else warehouse/warehouse.duckdb beside the lake).")
    Path warehouse;

    @Option(names = "--views", paramLabel = "DIR", defaultValue = "sql/warehouse",
            description = "View *.sql files for the republish (default: ${DEFAULT-VALUE} when it exists, else those in the jar).")
    Path views;

    @Mixin
    CallerOptions caller;

    @Override
    public Integer call() {
        Console console = new Console();
        Footprint.By by = who.customer != null ? Footprint.By.CUSTOMER : who.email != null ? Footprint.By.EMAIL : Footprint.By.PHONE;
        String value = who.customer != null ? who.customer : who.email != null ? who.email : who.phone;
        Erasure.Request request = new Erasure.Request(by, value, requestId, retainHours, dryRun);
        String user = caller.user();
        console.progress("forget " + requestId + " by " + user + (dryRun ? " (dry run)" : ""));
        Erasure erasure = new Erasure(where.open("crm-forget"), caller.access, warehouse, views, where.landingUri());
        console.lines(erasure.forget(user, request, console::progress));
        return 0;
    }
}
