using System;
using Microsoft.Extensions.Configuration;

namespace IoTSec.Gateway.Configuration;

/// <summary>The gateway's YAML file as a configuration layer (<see cref="YamlConfigurationFile"/>).</summary>
/// <param name="File">The file, read once when the configuration is built.</param>
public sealed record YamlConfigurationSource(YamlConfigurationFile File) : IConfigurationSource
{
    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new YamlConfigurationProvider(File);
}

/// <summary>Serves the keys of a <see cref="YamlConfigurationFile"/>; knows the line each came from.</summary>
public sealed class YamlConfigurationProvider : ConfigurationProvider
{
    /// <summary>Serves <paramref name="file"/>.</summary>
    public YamlConfigurationProvider(YamlConfigurationFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        File = file;
        foreach (var (key, value) in file.Values)
        {
            Data[key] = value;
        }
    }

    /// <summary>The file.</summary>
    public YamlConfigurationFile File { get; }

    /// <inheritdoc />
    public override string ToString() => "YAML file " + File.Path;
}

/// <summary>Adds the YAML layer to a configuration builder.</summary>
public static class YamlConfigurationExtensions
{
    /// <summary>Adds <paramref name="file"/> as a layer above the ones added before it.</summary>
    public static IConfigurationBuilder AddYamlFile(this IConfigurationBuilder builder, YamlConfigurationFile file)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new YamlConfigurationSource(file));
    }
}
