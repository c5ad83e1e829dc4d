package org.crmlake.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code crm} command line: every pipeline job is a subcommand. */
@Command(name = "crm", mixinStandardHelpOptions = true, version = "crm 0.1.0",
        description = "Analytical CRM lakehouse: ingest CRM, ERP, web and call-centre exports into Delta, "
                + "build one customer view, score and publish.",
        subcommands = {CommandLine.HelpCommand.class})
public final class CrmCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CrmCommand()).execute(args));
    }
}
