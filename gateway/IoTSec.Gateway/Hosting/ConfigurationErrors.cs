using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using IoTSec.Gateway.Configuration;
using IoTSec.Gateway.Est;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// Turns the options validators' and the binder's failures into lines that name the
/// configuration key an operator sets — "IoTSec:Est:Port: …" rather than the class path
/// "EstOptions.Port" — followed by where the value came from ("(/etc/iotsec/gateway.yaml:12)").
/// </summary>
internal static partial class ConfigurationErrors
{
    /// <summary>
    /// Every failure of <paramref name="error"/>, each naming its key (the section comes from the
    /// registration of the failing options type) and, with <paramref name="configuration"/>, the value's origin.
    /// </summary>
    public static IReadOnlyList<string> Problems(OptionsValidationException error, IConfiguration? configuration, IEnumerable<ConfigurationSectionRegistration> sections)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(sections);
        var section = sections.FirstOrDefault(s => s.OptionsType == error.OptionsType)?.Path
            ?? (error.OptionsType == typeof(EstOptions) ? GatewayOptions.SectionName + ":" + EstOptions.SectionName : GatewayOptions.SectionName);
        return [.. error.Failures.Select(failure => WithOrigin(Describe(failure, error.OptionsType, section), configuration))];
    }

    /// <summary>
    /// The binder's "Failed to convert configuration value at 'IoTSec:Est:Port' to type …", with
    /// the origin; null when <paramref name="error"/> is not such a failure.
    /// </summary>
    public static string? ConversionProblem(InvalidOperationException error, IConfiguration? configuration)
    {
        ArgumentNullException.ThrowIfNull(error);
        var match = ConversionKey().Match(error.Message);
        if (!match.Success)
        {
            return null;
        }

        var key = match.Groups["key"].Value;
        var value = configuration?[key];
        var type = match.Groups["type"].Value;
        return WithOrigin($"{key}: '{value}' is not a valid {FriendlyType(type)}", configuration);
    }

    /// <summary>"KEY: MESSAGE (ORIGIN)" for a key the known-key check refused.</summary>
    public static string UnknownKey(string key, IConfiguration configuration) =>
        WithOrigin($"{key}: unknown setting (a typo? see docs/operations.md for the keys)", configuration);

    private static string Describe(string failure, Type optionsType, string section)
    {
        var text = failure
            .Replace(nameof(GatewayOptions) + ".", GatewayOptions.SectionName + ":", StringComparison.Ordinal)
            .Replace(optionsType.Name + ".", section + ":", StringComparison.Ordinal);
        text = ClassPath().Replace(text, match => match.Value.Replace('.', ':'));

        // The validators start a failure with the bare member name ("Port: …"): qualify it with
        // the section, or drop it where the message names the key itself.
        var member = BareMember().Match(text);
        if (!member.Success)
        {
            return text;
        }

        var rest = text[member.Length..];
        return rest.Contains(GatewayOptions.SectionName + ":", StringComparison.Ordinal) ? rest : section + ":" + text;
    }

    private static string WithOrigin(string problem, IConfiguration? configuration)
    {
        if (configuration is null)
        {
            return problem;
        }

        var key = Key().Match(problem);
        if (!key.Success)
        {
            return problem;
        }

        // The key as named may be a section (IoTSec:Pki:ServerIpAddresses); its first set child tells the origin then.
        var origin = ConfigurationOrigin.Describe(configuration, key.Value)
            ?? configuration.GetSection(key.Value).AsEnumerable().Where(pair => pair.Value is not null)
                .Select(pair => ConfigurationOrigin.Describe(configuration, pair.Key)).FirstOrDefault(found => found is not null);
        return origin is null ? problem : problem + " " + origin;
    }

    private static string FriendlyType(string type) => type switch
    {
        "System.Int32" or "System.Int64" => "whole number",
        "System.Boolean" => "boolean (true or false)",
        "System.TimeSpan" => "duration ([d.]hh:mm:ss)",
        _ => type,
    };

    [GeneratedRegex(@"IoTSec(:[A-Za-z]+)+(\.[A-Za-z]+)+")]
    private static partial Regex ClassPath();

    [GeneratedRegex(@"^[A-Za-z]+: ")]
    private static partial Regex BareMember();

    [GeneratedRegex(@"IoTSec(:[A-Za-z0-9_]+)+", RegexOptions.IgnoreCase)]
    private static partial Regex Key();

    [GeneratedRegex(@"configuration value (?:'.*' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionKey();
}
