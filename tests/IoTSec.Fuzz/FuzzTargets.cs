using System;
using IoTSec.Fuzz.Targets;

namespace IoTSec.Fuzz;

/// <summary>Every fuzz target, by name.</summary>
public static class FuzzTargets
{
    /// <summary>All targets; one corpus folder each under tests/IoTSec.Fuzz/corpus.</summary>
    public static FuzzTarget[] All { get; } =
    [
        .. MessageFuzzTargets.All,
        .. ManifestFuzzTargets.All,
        new CborFuzzTarget(),
        new ConsoleFrameFuzzTarget(),
        new DerCertificateFuzzTarget(),
        new ConsolePayloadFuzzTarget(),
        new TamperFlagFuzzTarget(),
        .. GatewayFuzzTargets.All,
        new GatewayYamlFuzzTarget(),
        new PolicyFuzzTarget(),
        new ApplicationBundleFuzzTarget(),
        .. FirmwareFuzzTargets.All,
        .. ForwarderFuzzTargets.All,
        .. ProvisionFuzzTargets.All,
    ];

    /// <summary>The target named <paramref name="name"/>, or null.</summary>
    public static FuzzTarget? Find(string name)
    {
        foreach (var target in All)
        {
            if (string.Equals(target.Name, name, StringComparison.Ordinal))
            {
                return target;
            }
        }

        return null;
    }
}
