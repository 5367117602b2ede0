using System.IO;

namespace IoTSec.Gateway.Configuration;

/// <summary>
/// Which YAML file configures the daemon: the one named by <c>run --config FILE</c> (an error
/// when it does not exist: a mistyped path must not silently start a gateway on the embedded
/// defaults), else <see cref="DefaultPath"/> when it exists, else none.
/// </summary>
public static class GatewayConfigurationFile
{
    /// <summary>The file an installed gateway reads (systemd's ConfigurationDirectory=iotsec).</summary>
    public const string DefaultPath = "/etc/iotsec/gateway.yaml";

    /// <summary>Reads the file to use; null when none was named and <paramref name="defaultPath"/> does not exist.</summary>
    /// <exception cref="GatewayConfigurationException">The named file does not exist or is not valid (the message names the line).</exception>
    public static YamlConfigurationFile? Load(string? explicitPath, string defaultPath = DefaultPath)
    {
        var path = explicitPath ?? defaultPath;
        if (explicitPath is null && !File.Exists(defaultPath))
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new GatewayConfigurationException([$"configuration file '{path}' does not exist"]);
        }

        try
        {
            return YamlConfigurationFile.Load(path);
        }
        catch (YamlConfigurationException e)
        {
            throw new GatewayConfigurationException([e.Message]);
        }
        catch (IOException e)
        {
            throw new GatewayConfigurationException([$"cannot read configuration file '{path}': {e.Message}"]);
        }
        catch (System.UnauthorizedAccessException e)
        {
            throw new GatewayConfigurationException([$"cannot read configuration file '{path}': {e.Message}"]);
        }
    }
}
