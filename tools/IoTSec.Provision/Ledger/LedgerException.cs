using System;

namespace IoTSec.Provision.Ledger;

/// <summary>A ledger refused by <c>BirthLedger.Verify</c>: the message names the line and why.</summary>
public sealed class LedgerException : Exception
{
    /// <summary>Creates the error.</summary>
    public LedgerException(long line, string message)
        : base($"ledger line {line}: {message}") => Line = line;

    /// <summary>Creates the error with its cause.</summary>
    public LedgerException(long line, string message, Exception inner)
        : base($"ledger line {line}: {message}", inner) => Line = line;

    /// <summary>The 1-based line refused.</summary>
    public long Line { get; }
}
