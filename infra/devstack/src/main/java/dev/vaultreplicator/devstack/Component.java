package dev.vaultreplicator.devstack;

import java.util.List;

/** One process of the devstack: how to start it, where it answers, and how to tell it is ready. */
record Component(String name, List<String> command, String address, Readiness readiness) {

    /** A JVM of its own on devstack's class path. */
    static Component jvm(String name, String mainClass, List<String> jvmOptions, List<String> args, String address,
                         Readiness readiness) {
        return new Component(name, dev.vaultreplicator.testkit.process.ChildJvm.command(mainClass, jvmOptions, args),
                address, readiness);
    }

    interface Readiness {
        /** Returns when ready; throws with the reason when not ready in time or the process died. */
        void await(ProcessHandle process);
    }
}
