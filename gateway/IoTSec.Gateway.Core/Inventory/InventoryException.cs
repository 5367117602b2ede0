using System;
using System.Globalization;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>The inventory refused an operation; <see cref="Reason"/> says why, <see cref="LineNumber"/> where in an import file.</summary>
public sealed class InventoryException : Exception
{
    public InventoryException(InventoryErrorReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public InventoryException(InventoryErrorReason reason, string message, Exception inner)
        : base(message, inner)
    {
        Reason = reason;
    }

    /// <summary>Creates an error about line <paramref name="lineNumber"/> of import file <paramref name="file"/>; the message starts with "FILE line N:".</summary>
    public InventoryException(InventoryErrorReason reason, string file, int lineNumber, string message)
        : base(string.Create(CultureInfo.InvariantCulture, $"{file} line {lineNumber}: {message}"))
    {
        Reason = reason;
        LineNumber = lineNumber;
    }

    /// <summary>Creates an error about line <paramref name="lineNumber"/> of import file <paramref name="file"/>, caused by <paramref name="inner"/>.</summary>
    public InventoryException(InventoryErrorReason reason, string file, int lineNumber, string message, Exception inner)
        : base(string.Create(CultureInfo.InvariantCulture, $"{file} line {lineNumber}: {message}"), inner)
    {
        Reason = reason;
        LineNumber = lineNumber;
    }

    /// <summary>Why the operation was refused.</summary>
    public InventoryErrorReason Reason { get; }

    /// <summary>The 1-based line of the import file at fault, when the error is about an import file.</summary>
    public int? LineNumber { get; }
}
