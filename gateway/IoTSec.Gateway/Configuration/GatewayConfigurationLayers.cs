using System;
using System.Collections.Generic;
using System.Linq;
using IoTSec.Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace IoTSec.Gateway.Configuration;

/// <summary>
/// The daemon's configuration layers, later ones winning: the embedded defaults
/// (<see cref="GatewayDefaults"/>), the YAML file, environment variables (IOTSEC__EST__PORT),
/// the command line (--IoTSec:Est:Port=9443). The daemon and the verbs that read its settings
/// (<c>dev issue-cert</c>) use the same layers.
/// </summary>
public static class GatewayConfigurationLayers
{
    /// <summary>Adds the layers to <paramref name="builder"/>.</summary>
    public static IConfigurationBuilder AddGatewayLayers(this IConfigurationBuilder builder, YamlConfigurationFile? file, IReadOnlyList<string> commandLine)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(commandLine);
        builder.AddInMemoryCollection(GatewayDefaults.Values);
        if (file is not null)
        {
            builder.AddYamlFile(file);
        }

        return builder
            .AddEnvironmentVariables()
            .AddCommandLine(commandLine.ToArray());
    }
}
