using System;
using IoTSec.Gateway.Configuration;

namespace IoTSec.Fuzz.Targets;

/// <summary>
/// The gateway's YAML configuration reader (/etc/iotsec/gateway.yaml, edited by hand).
/// Oracle: whatever it accepts is bounded (at most MaxKeys keys) and every key belongs to the
/// IoTSec or Logging section and has the line it was set on.
/// </summary>
public sealed class GatewayYamlFuzzTarget : FuzzTarget
{
    public override string Name => "gateway-yaml";

    protected override void Decode(byte[] input)
    {
        var file = YamlConfigurationFile.Parse("fuzz.yaml", input);
        if (file.Values.Count > YamlConfigurationFile.MaxKeys)
        {
            throw new InvalidOperationException("more keys than the bound");
        }

        foreach (var key in file.Values.Keys)
        {
            if (!key.StartsWith(YamlConfigurationFile.RootSection + ":", StringComparison.Ordinal)
                && !key.StartsWith(YamlConfigurationFile.LoggingSection, StringComparison.Ordinal))
            {
                throw new InvalidOperationException("a key outside the IoTSec and Logging sections: " + key);
            }

            if (!file.TryGetLine(key, out var line) || line < 1)
            {
                throw new InvalidOperationException("a key without its line: " + key);
            }
        }
    }

    protected override bool IsExpectedRejection(Exception exception) => exception is YamlConfigurationException;
}
