using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Segmentation;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>The <c>segmentation</c> section and each class's <c>network</c> rules (docs/segmentation.md).</summary>
public static partial class PolicyParser
{
    /// <summary>Most device segments, endpoints, addresses per endpoint and network rules per class accepted.</summary>
    public const int MaxSegmentationItems = 256;

    private static readonly string[] SegmentationKeys = ["segments", "upstream", "gateway", "endpoints"];
    private static readonly string[] RequiredSegmentationKeys = ["segments", "upstream", "gateway"];
    private static readonly string[] SegmentKeys = ["interface", "subnet"];
    private static readonly string[] UpstreamKeys = ["interface"];
    private static readonly string[] GatewayKeys = ["enrolment", "broker", "ota"];
    private static readonly string[] EndpointKeys = ["addresses"];
    private static readonly string[] NetworkRuleKeys = ["to", "service", "protocol", "port"];
    private static readonly string[] EndpointOnlyKeys = ["protocol", "port"];

    private sealed partial class Builder
    {
        private SegmentationPolicy? _segmentation;
        private PolicyYamlNode? _segmentationNode;

        private SegmentationPolicy? Segmentation(PolicyYamlNode node)
        {
            const string Path = "segmentation";
            if (Mapping(node, Path, SegmentationKeys, RequiredSegmentationKeys) is not { } map)
            {
                return null;
            }

            var before = errors.Count;
            var segments = new List<DeviceSegment>();
            if (Get(map, "segments") is { } segmentsNode && Mapping(segmentsNode, Path + ".segments", null, null) is { } segmentMap)
            {
                if (segmentMap.Entries.Count == 0)
                {
                    Error(segmentMap, Path + ".segments", "no device segment is defined");
                }

                foreach (var (key, value) in Bounded(segmentMap, Path + ".segments"))
                {
                    var path = Path + ".segments." + key.Value;
                    if (Name(key, path, "segment") && Segment(key.Value, value, path, segments) is { } segment)
                    {
                        segments.Add(segment);
                    }
                }
            }

            string? upstream = null;
            if (Get(map, "upstream") is { } upstreamNode && Mapping(upstreamNode, Path + ".upstream", UpstreamKeys, UpstreamKeys) is { } upstreamMap
                && Get(upstreamMap, "interface") is { } upstreamInterface)
            {
                upstream = Interface(upstreamInterface, Path + ".upstream.interface");
                foreach (var segment in segments)
                {
                    if (upstream is not null && string.Equals(segment.Interface, upstream, StringComparison.Ordinal))
                    {
                        Error(upstreamInterface, Path + ".upstream.interface", $"'{upstream}' is also the interface of device segment '{segment.Name}'");
                    }
                }
            }

            var ports = new Dictionary<GatewayService, int>();
            if (Get(map, "gateway") is { } gatewayNode && Mapping(gatewayNode, Path + ".gateway", GatewayKeys, null) is { } gatewayMap)
            {
                foreach (var (key, value) in gatewayMap.Entries)
                {
                    if (TryService(key.Value, out var service) && Integer(value, Path + ".gateway." + key.Value, 1, 65535, "a TCP port (1-65535)") is { } port)
                    {
                        ports[service] = port;
                    }
                }
            }

            var endpoints = new List<NamedEndpoint>();
            if (Get(map, "endpoints") is { } endpointsNode && Mapping(endpointsNode, Path + ".endpoints", null, null) is { } endpointMap)
            {
                foreach (var (key, value) in Bounded(endpointMap, Path + ".endpoints"))
                {
                    var path = Path + ".endpoints." + key.Value;
                    if (!Name(key, path, "endpoint"))
                    {
                        continue;
                    }

                    if (string.Equals(key.Value, "gateway", StringComparison.Ordinal))
                    {
                        Error(key, path, "'gateway' is reserved for the gateway's own services (segmentation.gateway)");
                        continue;
                    }

                    if (Endpoint(key.Value, value, path, segments) is { } endpoint)
                    {
                        endpoints.Add(endpoint);
                    }
                }
            }

            return errors.Count != before || upstream is null
                ? null
                : new SegmentationPolicy(segments, upstream, ports, endpoints);
        }

        private DeviceSegment? Segment(string name, PolicyYamlNode node, string path, List<DeviceSegment> earlier)
        {
            if (Mapping(node, path, SegmentKeys, SegmentKeys) is not { } map)
            {
                return null;
            }

            var device = Get(map, "interface") is { } i ? Interface(i, path + ".interface") : null;
            var subnetNode = Get(map, "subnet");
            var subnet = subnetNode is null ? null : Subnet(subnetNode, path + ".subnet", requirePrefix: true);
            if (device is null || subnet is null)
            {
                return null;
            }

            foreach (var other in earlier)
            {
                if (Overlaps(other.Subnet, subnet.Value))
                {
                    Error(subnetNode!, path + ".subnet", $"{subnet} overlaps segment '{other.Name}' ({other.Subnet}): a device address must belong to one segment");
                    return null;
                }
            }

            return new DeviceSegment(name, device, subnet.Value);
        }

        private NamedEndpoint? Endpoint(string name, PolicyYamlNode node, string path, List<DeviceSegment> segments)
        {
            if (Mapping(node, path, EndpointKeys, EndpointKeys) is not { } map || Get(map, "addresses") is not { } addressesNode
                || Sequence(addressesNode, path + ".addresses") is not { } list)
            {
                return null;
            }

            if (list.Items.Count is 0 or > MaxSegmentationItems)
            {
                Error(list, path + ".addresses", $"list 1 to {MaxSegmentationItems} addresses or subnets");
                return null;
            }

            var before = errors.Count;
            var addresses = new List<IPNetwork>();
            for (var i = 0; i < list.Items.Count; i++)
            {
                var itemPath = path + ".addresses[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                if (Subnet(list.Items[i], itemPath, requirePrefix: false) is not { } network)
                {
                    continue;
                }

                foreach (var segment in segments)
                {
                    // An endpoint inside a device segment would open device-to-device traffic.
                    if (Overlaps(segment.Subnet, network))
                    {
                        Error(list.Items[i], itemPath, $"{network} overlaps device segment '{segment.Name}' ({segment.Subnet}): endpoints are upstream, devices never reach each other");
                    }
                }

                addresses.Add(network);
            }

            return errors.Count != before ? null : new NamedEndpoint(name, addresses);
        }

        private NetworkAllowRule[]? Network(PolicyYamlNode node, string path, bool isQuarantineClass)
        {
            if (_segmentation is null)
            {
                if (_segmentationNode is null)
                {
                    Error(node, path, "network rules need a segmentation section (zones, endpoints) in the file");
                }

                return null;
            }

            if (Sequence(node, path) is not { } list)
            {
                return null;
            }

            if (list.Items.Count > MaxSegmentationItems)
            {
                Error(list, path, $"more than {MaxSegmentationItems} rules");
                return null;
            }

            var before = errors.Count;
            var rules = new List<NetworkAllowRule>();
            for (var i = 0; i < list.Items.Count; i++)
            {
                if (NetworkRule(list.Items[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", isQuarantineClass) is { } rule)
                {
                    if (!rules.Contains(rule))
                    {
                        rules.Add(rule);
                    }
                }
            }

            return errors.Count != before ? null : [.. rules];
        }

        private NetworkAllowRule? NetworkRule(PolicyYamlNode node, string path, bool isQuarantineClass)
        {
            if (Mapping(node, path, NetworkRuleKeys, ["to"]) is not { } map || Get(map, "to") is not { } toNode || Text(toNode, path + ".to") is not { } to)
            {
                return null;
            }

            var segmentation = _segmentation!;
            if (string.Equals(to, "gateway", StringComparison.Ordinal))
            {
                foreach (var key in EndpointOnlyKeys)
                {
                    if (Get(map, key) is { } extra)
                    {
                        Error(extra, path + "." + key, "a gateway rule names a service (enrolment, broker, ota), whose port is set under segmentation.gateway");
                        return null;
                    }
                }

                if (Get(map, "service") is not { } serviceNode)
                {
                    Error(map, path, "missing key 'service' (enrolment, broker or ota)");
                    return null;
                }

                if (Text(serviceNode, path + ".service") is not { } name)
                {
                    return null;
                }

                if (!TryService(name, out var service))
                {
                    Error(serviceNode, path + ".service", $"'{PolicyYamlReader.Printable(name)}' is not a gateway service: expected enrolment, broker or ota");
                    return null;
                }

                if (!segmentation.ServicePorts.TryGetValue(service, out var port))
                {
                    Error(serviceNode, path + ".service", $"service '{name}' has no port under segmentation.gateway");
                    return null;
                }

                return new NetworkAllowRule(service, null, NetworkProtocol.Tcp, port);
            }

            if (isQuarantineClass)
            {
                // A quarantined device keeps enrolment, heartbeats (the broker) and OTA, nothing else.
                Error(toNode, path + ".to", $"'{PolicyYamlReader.Printable(to)}' is not allowed in the quarantine class: it may reach only the gateway's enrolment, broker and ota services");
                return null;
            }

            NamedEndpoint? endpoint = null;
            foreach (var candidate in segmentation.Endpoints)
            {
                if (string.Equals(candidate.Name, to, StringComparison.Ordinal))
                {
                    endpoint = candidate;
                }
            }

            if (endpoint is null)
            {
                Error(toNode, path + ".to", $"'{PolicyYamlReader.Printable(to)}' is neither gateway nor an endpoint under segmentation.endpoints");
                return null;
            }

            if (Get(map, "service") is { } stray)
            {
                Error(stray, path + ".service", "service applies to 'to: gateway' only; an endpoint rule gives protocol and port");
                return null;
            }

            NetworkProtocol? protocol = null;
            if (Get(map, "protocol") is not { } protocolNode)
            {
                Error(map, path, "missing key 'protocol' (tcp or udp)");
            }
            else if (Text(protocolNode, path + ".protocol") is { } protocolName)
            {
                protocol = protocolName switch
                {
                    "tcp" => NetworkProtocol.Tcp,
                    "udp" => NetworkProtocol.Udp,
                    _ => null,
                };
                if (protocol is null)
                {
                    Error(protocolNode, path + ".protocol", $"'{PolicyYamlReader.Printable(protocolName)}' is not a protocol: expected tcp or udp");
                }
            }

            int? endpointPort = null;
            if (Get(map, "port") is not { } portNode)
            {
                Error(map, path, "missing key 'port' (1-65535)");
            }
            else
            {
                endpointPort = Integer(portNode, path + ".port", 1, 65535, "a port (1-65535)");
            }

            return protocol is null || endpointPort is null ? null : new NetworkAllowRule(null, endpoint.Name, protocol.Value, endpointPort.Value);
        }

        private IEnumerable<KeyValuePair<PolicyYamlScalar, PolicyYamlNode>> Bounded(PolicyYamlMapping map, string path)
        {
            if (map.Entries.Count > MaxSegmentationItems)
            {
                Error(map, path, $"more than {MaxSegmentationItems} entries");
                return [];
            }

            return map.Entries;
        }

        private bool Name(PolicyYamlScalar key, string path, string what)
        {
            if (InventoryText.IsValidIdentifier(key.Value))
            {
                return true;
            }

            Error(key, path, $"'{PolicyYamlReader.Printable(key.Value)}' is not a {what} name: expected 1 to 64 of A-Z a-z 0-9 . _ -");
            return false;
        }

        // The name is written into the nftables ruleset: only characters that cannot break out
        // of its quotes, and the kernel's limit of 15.
        private string? Interface(PolicyYamlNode node, string path)
        {
            if (Text(node, path) is not { } text)
            {
                return null;
            }

            if (text.Length <= 15 && IsInterfaceName(text))
            {
                return text;
            }

            Error(node, path, $"'{PolicyYamlReader.Printable(text)}' is not an interface name: expected 1 to 15 of A-Z a-z 0-9 . _ -");
            return null;
        }

        private IPNetwork? Subnet(PolicyYamlNode node, string path, bool requirePrefix)
        {
            if (Text(node, path) is not { } text)
            {
                return null;
            }

            if (text.Contains('/', StringComparison.Ordinal))
            {
                // IPNetwork.TryParse masks 10.20.1.5/24 to 10.20.1.0/24 silently; a typo in a
                // zone must not widen or move it, so the address must be the network's own.
                if (IPNetwork.TryParse(text, out var network) && !HasScope(network.BaseAddress)
                    && IPAddress.TryParse(text.AsSpan(0, text.IndexOf('/', StringComparison.Ordinal)), out var written) && written.Equals(network.BaseAddress))
                {
                    return network;
                }

                Error(node, path, $"'{PolicyYamlReader.Printable(text)}' is not a subnet such as 10.20.1.0/24 or 2001:db8::/64 (no bits set after the prefix)");
                return null;
            }

            if (!requirePrefix && IPAddress.TryParse(text, out var address) && !HasScope(address) && !text.Contains('%', StringComparison.Ordinal))
            {
                return new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            }

            Error(node, path, requirePrefix
                ? $"'{PolicyYamlReader.Printable(text)}' is not a subnet such as 10.20.1.0/24 or 2001:db8::/64"
                : $"'{PolicyYamlReader.Printable(text)}' is not an address or subnet such as 203.0.113.10 or 2001:db8::/64");
            return null;
        }

        // A link-local scope (fe80::1%eth0) names an interface, not a place in a zone.
        private static bool HasScope(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0;

        private static bool IsInterfaceName(string text)
        {
            foreach (var c in text)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                {
                    return false;
                }
            }

            return text is not ("." or "..");
        }

        private static bool Overlaps(IPNetwork a, IPNetwork b) =>
            a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

        private static bool TryService(string name, out GatewayService service)
        {
            switch (name)
            {
                case "enrolment":
                    service = GatewayService.Enrolment;
                    return true;
                case "broker":
                    service = GatewayService.Broker;
                    return true;
                case "ota":
                    service = GatewayService.Ota;
                    return true;
                default:
                    service = default;
                    return false;
            }
        }
    }
}
