package dev.vaultreplicator.testkit.vault.contract;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the real-Vault half of the contract only when a real Vault is available; otherwise every
 * test is reported as skipped, with the reason, one by one (so the count of skipped tests is honest).
 */
final class RealVaultAvailable implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("decided per test");
        }
        VaultTarget real = VaultTargets.real();
        return real.unavailableReason() == null
                ? ConditionEvaluationResult.enabled("running against " + real.name())
                : ConditionEvaluationResult.disabled(real.unavailableReason());
    }
}
