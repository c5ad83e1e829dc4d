package org.crmlake.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crmlake.access.AccessDeniedException;
import org.crmlake.access.AccessPolicy;
import org.crmlake.access.Caller;
import org.crmlake.access.Role;
import org.crmlake.lake.DataKeys;
import org.crmlake.lake.Lake;
import org.crmlake.privacy.Reencryption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Keys that encrypt personal data at rest (docs/PRIVACY.md, \"Protection at rest\").",
                "The lake's key file is $CRM_KEY_FILE, else keys/lake-keys.yaml beside the lake folder.",
                "Rotation: crm keys rotate FILE; crm keys reencrypt --user ADMIN; then, once",
                "'crm keys status' shows no value under the old key, remove it from the file."},
        subcommands = {KeysCommand.New.class, KeysCommand.Rotate.class, KeysCommand.Status.class, KeysCommand.Reencrypt.class})
final class KeysCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = {"Write a new key file (owner-only permissions): a hash key and one AES-256 key.",
                    "Example: crm keys new /etc/crm/lake-keys.yaml",
                    "         export CRM_KEY_FILE=/etc/crm/lake-keys.yaml"})
    static final class New implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "Where to write it; must not exist.")
        Path file;

        @Override
        public Integer call() throws IOException {
            DataKeys.create(file);
            System.out.println("wrote " + file.toAbsolutePath().normalize() + " (key " + DataKeys.load(file).currentKeyId()
                    + "); keep it out of the lake and point $" + DataKeys.ENV + " at it");
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Add a fresh key first in the key file: new values are encrypted with it, the older",
                    "keys stay to decrypt. Then run 'crm keys reencrypt'. The hash key is kept."})
    static final class Rotate implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The key file.")
        Path file;

        @Override
        public Integer call() throws IOException {
            String id = DataKeys.rotate(file);
            System.out.println("added key " + id + " to " + file + "; keys now " + DataKeys.load(file).keyIds()
                    + ". Next: crm keys reencrypt");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Count the lake's protected values per key id (and those stored in clear), table by table.")
    static final class Status implements Callable<Integer> {
        @Mixin
        LakeOptions where;

        @Override
        public Integer call() {
            Lake lake = where.open("crm-keys");
            DataKeys keys = lake.keys();
            System.out.println("key file: " + keys.source() + (keys.present() ? "; current key " + keys.currentKeyId() : ""));
            Map<String, Map<String, Long>> status = new Reencryption(lake).status();
            status.forEach((table, counts) -> System.out.printf("  %-32s %s%n", table, counts));
            if (status.isEmpty()) {
                System.out.println("  no table with personal columns yet");
            }
            return 0;
        }
    }

    @Command(name = "reencrypt", mixinStandardHelpOptions = true,
            description = {"Rewrite every table holding values under an older key (or in clear) with the",
                    "current key, then VACUUM. Admins only. Run it while no pipeline job writes the lake."})
    static final class Reencrypt implements Callable<Integer> {
        @Mixin
        LakeOptions where;

        @Mixin
        CallerOptions caller;

        @Option(names = "--retain-hours", defaultValue = "168", paramLabel = "H",
                description = "VACUUM keeps files newer than this (default: ${DEFAULT-VALUE}, Delta's 7 days; 0 deletes the old "
                        + "ciphertext at once, and readers of older versions fail).")
        int retainHours;

        @Override
        public Integer call() {
            Caller who = AccessPolicy.load(caller.access).identify(caller.user());
            if (who.role() != Role.ADMIN) {
                throw new AccessDeniedException("crm keys reencrypt rewrites every personal table: admins only ("
                        + who.user() + " is " + who.role().id() + ")", who.role().id());
            }
            Console console = new Console();
            console.progress("re-encrypting the lake's personal columns");
            console.lines(new Reencryption(where.open("crm-keys")).reencrypt(retainHours, console::progress));
            return 0;
        }
    }
}
