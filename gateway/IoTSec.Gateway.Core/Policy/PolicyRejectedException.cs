using System;
using System.Collections.Generic;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>
/// A policy file was refused: it carries every error found (not only the first), each with its
/// line, column and key path. The policy in force, if any, stays in force.
/// </summary>
public sealed class PolicyRejectedException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> (a file name) with <paramref name="errors"/>.</summary>
    public PolicyRejectedException(string source, IReadOnlyList<PolicyError> errors)
        : base(Describe(source, errors))
    {
        ArgumentNullException.ThrowIfNull(errors);
        Source = source;
        Errors = errors;
    }

    /// <summary>The file (or other source name) that was refused.</summary>
    public new string Source { get; }

    /// <summary>Every error found, in file order.</summary>
    public IReadOnlyList<PolicyError> Errors { get; }

    private static string Describe(string source, IReadOnlyList<PolicyError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var first = errors.Count > 0 ? ": " + source + ":" + errors[0] : string.Empty;
        return $"policy {source} refused with {errors.Count} error(s){first}";
    }
}
