using System.Globalization;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>
/// One problem found in a policy file: where (1-based line and column, and the key path such as
/// <c>classes.sensor.publish[2].rate</c>) and what.
/// </summary>
/// <param name="Line">1-based line; 0 when the problem concerns the whole file.</param>
/// <param name="Column">1-based column; 0 when the problem concerns the whole file.</param>
/// <param name="Path">The key path, empty for the document itself.</param>
/// <param name="Message">What is wrong, naming the bad value and what was expected.</param>
public sealed record PolicyError(int Line, int Column, string Path, string Message)
{
    /// <summary>"line:column: path: message", the form the loader logs and <c>policy check</c> prints.</summary>
    public override string ToString() => Path.Length == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Line}:{Column}: {Message}")
        : string.Create(CultureInfo.InvariantCulture, $"{Line}:{Column}: {Path}: {Message}");
}
