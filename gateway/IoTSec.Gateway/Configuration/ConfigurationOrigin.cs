using System;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace IoTSec.Gateway.Configuration;

/// <summary>
/// Says where the value of a key came from — the layer that wins — so an error can point at
/// the line to fix: "(gateway.yaml:12)", "(environment variable IOTSEC__EST__PORT)",
/// "(command line)".
/// </summary>
public static class ConfigurationOrigin
{
    /// <summary>The origin of <paramref name="key"/> in parentheses, or null when no layer sets it.</summary>
    public static string? Describe(IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (configuration is not IConfigurationRoot root)
        {
            return null;
        }

        foreach (var provider in root.Providers.Reverse())
        {
            if (!provider.TryGet(key, out _))
            {
                continue;
            }

            return provider switch
            {
                YamlConfigurationProvider yaml when yaml.File.TryGetLine(key, out var line) => $"({yaml.File.Path}:{line})",
                EnvironmentVariablesConfigurationProvider => $"(environment variable {key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant()})",
                CommandLineConfigurationProvider => "(command line)",
                MemoryConfigurationProvider => "(embedded defaults)",
                _ => null,
            };
        }

        return null;
    }
}
