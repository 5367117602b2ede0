using System.Collections.Generic;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>What a reload did.</summary>
public enum PolicyReloadOutcome
{
    /// <summary>The new file is in force.</summary>
    Applied = 1,

    /// <summary>The file's bytes are those in force already: nothing changed.</summary>
    Unchanged = 2,

    /// <summary>The new file was refused; the policy in force stays.</summary>
    Rejected = 3,
}

/// <summary>The result of <see cref="PolicyStore.Reload"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Current">The policy in force afterwards.</param>
/// <param name="Errors">Every error of a refused file (empty otherwise).</param>
public sealed record PolicyReloadResult(PolicyReloadOutcome Outcome, PolicyDocument Current, IReadOnlyList<PolicyError> Errors);
