using System;
using System.Linq;
using System.Text.RegularExpressions;
using IoTSec.Gateway.Est;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// Turns the options validators' failures into lines that name the configuration key an
/// operator sets: "IoTSec:Est:Port: …" rather than the class path "EstOptions.Port".
/// </summary>
internal static partial class ConfigurationErrors
{
    /// <summary>Every failure of <paramref name="error"/>, each naming its key, joined by "; ".</summary>
    public static string Describe(OptionsValidationException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        // EST's members sit directly in IoTSec:Est; the gateway's own messages name their full key.
        var section = error.OptionsType == typeof(EstOptions) ? GatewayOptions.SectionName + ":" + EstOptions.SectionName + ":" : null;
        return string.Join("; ", error.Failures.Select(failure => Describe(failure, section)));
    }

    private static string Describe(string failure, string? section)
    {
        var text = failure
            .Replace(nameof(GatewayOptions) + ".", GatewayOptions.SectionName + ":", StringComparison.Ordinal)
            .Replace(nameof(EstOptions) + ".", GatewayOptions.SectionName + ":" + EstOptions.SectionName + ":", StringComparison.Ordinal);
        text = ClassPath().Replace(text, match => match.Value.Replace('.', ':'));

        // The validators start a failure with the bare member name ("Port: …"): qualify it, or
        // drop it where the message names the key itself.
        var member = BareMember().Match(text);
        if (!member.Success)
        {
            return text;
        }

        return section is null ? text[member.Length..] : section + text;
    }

    [GeneratedRegex(@"IoTSec(:[A-Za-z]+)+(\.[A-Za-z]+)+")]
    private static partial Regex ClassPath();

    [GeneratedRegex(@"^[A-Za-z]+: ")]
    private static partial Regex BareMember();
}
