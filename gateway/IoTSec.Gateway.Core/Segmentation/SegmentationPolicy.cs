using System.Collections.Generic;

namespace IoTSec.Gateway.Core.Segmentation;

/// <summary>
/// The zones of the policy file's <c>segmentation</c> section (docs/segmentation.md): device
/// segments, the upstream interface, the gateway's service ports and the named endpoints.
/// Per-class flows are in <see cref="Policy.DeviceClassPolicy.NetworkRules"/>.
/// </summary>
public sealed class SegmentationPolicy
{
    internal SegmentationPolicy(IReadOnlyList<DeviceSegment> segments, string upstreamInterface, IReadOnlyDictionary<GatewayService, int> servicePorts, IReadOnlyList<NamedEndpoint> endpoints)
    {
        Segments = segments;
        UpstreamInterface = upstreamInterface;
        ServicePorts = servicePorts;
        Endpoints = endpoints;
    }

    /// <summary>The device segments, in file order.</summary>
    public IReadOnlyList<DeviceSegment> Segments { get; }

    /// <summary>The interface towards upstream: named endpoints are reached only through it.</summary>
    public string UpstreamInterface { get; }

    /// <summary>The TCP port of each gateway service devices may reach.</summary>
    public IReadOnlyDictionary<GatewayService, int> ServicePorts { get; }

    /// <summary>The named endpoints, in file order.</summary>
    public IReadOnlyList<NamedEndpoint> Endpoints { get; }

    /// <summary>The segment whose subnet holds <paramref name="address"/>, or null.</summary>
    public DeviceSegment? SegmentOf(System.Net.IPAddress address)
    {
        foreach (var segment in Segments)
        {
            if (segment.Subnet.Contains(address))
            {
                return segment;
            }
        }

        return null;
    }
}
