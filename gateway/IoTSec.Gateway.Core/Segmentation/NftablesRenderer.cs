using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IoTSec.Gateway.Core.Policy;

namespace IoTSec.Gateway.Core.Segmentation;

/// <summary>
/// Renders a policy's zones and class flows, the devices' addresses and their quarantine
/// state into ONE nftables ruleset: table <c>inet iotsec</c> with named sets, input and
/// forward chains with policy drop (docs/segmentation.md). Only validated values reach the
/// text (identifiers, interface names, addresses formatted here, port numbers), so nothing
/// from a policy or inventory can inject a rule.
/// </summary>
public static class NftablesRenderer
{
    /// <summary>The table the gateway owns; nothing else is ever touched.</summary>
    public const string TableName = "iotsec";

    private const string V4 = "v4";
    private const string V6 = "v6";

    /// <summary>Renders the ruleset.</summary>
    /// <exception cref="InvalidOperationException">The policy has no segmentation section.</exception>
    public static RenderedFirewall Render(PolicyDocument policy, IEnumerable<DeviceAddress> devices)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(devices);
        var zones = policy.Segmentation ?? throw new InvalidOperationException($"{policy.Source} has no segmentation section: there is no firewall to render");

        var classes = policy.Classes.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
        var skipped = new List<string>();
        var members = Members(policy, zones, devices, skipped);

        var text = new StringBuilder();
        text.Append("# Rendered by iotsec-gateway from policy sha256 ").Append(policy.Sha256).Append(".\n");
        text.Append("# Do not edit: every apply replaces the whole table (docs/segmentation.md).\n");

        // Declaring then deleting the table in the same transaction replaces it atomically,
        // whether or not it exists yet (nft 1.0.6 has no "destroy").
        text.Append("table inet ").Append(TableName).Append('\n');
        text.Append("delete table inet ").Append(TableName).Append('\n');
        text.Append("table inet ").Append(TableName).Append(" {\n");

        text.Append("\tset device_interfaces {\n\t\ttype ifname\n");
        Elements(text, zones.Segments.Select(s => Quote(s.Interface)).Distinct(StringComparer.Ordinal));
        text.Append("\t}\n");

        DeviceSet(text, "quarantined", members, "\u0000quarantine");
        for (var i = 0; i < classes.Length; i++)
        {
            DeviceSet(text, ClassSet(i, classes[i].Name), members, classes[i].Name);
        }

        for (var i = 0; i < zones.Endpoints.Count; i++)
        {
            EndpointSet(text, EndpointSet(zones, zones.Endpoints[i].Name), zones.Endpoints[i]);
        }

        text.Append("\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n");
        text.Append("\t\tiifname != @device_interfaces accept comment \"only device segments are judged here\"\n");
        text.Append("\t\tct state established,related accept\n");
        text.Append("\t\tct state invalid drop\n");
        text.Append("\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit } accept\n");
        GatewayRules(text, "quarantined", policy.QuarantineClass);
        for (var i = 0; i < classes.Length; i++)
        {
            GatewayRules(text, ClassSet(i, classes[i].Name), classes[i]);
        }

        text.Append("\t}\n");

        text.Append("\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n");
        text.Append("\t\tct state established,related accept\n");
        text.Append("\t\tct state invalid drop\n");
        for (var i = 0; i < classes.Length; i++)
        {
            EndpointRules(text, ClassSet(i, classes[i].Name), classes[i], zones);
        }

        text.Append("\t}\n}\n");
        return new RenderedFirewall(text.ToString(), skipped);
    }

    // Keys are class names; quarantined devices go under a key no class can have.
    private static Dictionary<string, List<(string Interface, IPAddress Address)>> Members(PolicyDocument policy, SegmentationPolicy zones, IEnumerable<DeviceAddress> devices, List<string> skipped)
    {
        var byAddress = new Dictionary<IPAddress, List<DeviceAddress>>();
        foreach (var device in devices)
        {
            var address = device.Address.IsIPv4MappedToIPv6 ? device.Address.MapToIPv4() : device.Address;
            if (!byAddress.TryGetValue(address, out var claims))
            {
                byAddress[address] = claims = [];
            }

            claims.Add(device);
        }

        var members = new Dictionary<string, List<(string, IPAddress)>>(StringComparer.Ordinal);
        foreach (var (address, claims) in byAddress)
        {
            if (claims.Count > 1)
            {
                // Two devices claiming one address: neither gets a rule (fail closed).
                foreach (var claim in claims)
                {
                    skipped.Add($"{claim.DeviceId}: address {address} is also claimed by another device");
                }

                continue;
            }

            var device = claims[0];
            if ((address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0) || zones.SegmentOf(address) is not { } segment)
            {
                skipped.Add($"{device.DeviceId}: address {address} is in no device segment");
                continue;
            }

            if (policy.Find(device.ClassName) is null)
            {
                skipped.Add($"{device.DeviceId}: class '{device.ClassName}' is not in the policy");
                continue;
            }

            var key = device.Quarantined ? "\u0000quarantine" : device.ClassName;
            if (!members.TryGetValue(key, out var list))
            {
                members[key] = list = [];
            }

            list.Add((segment.Interface, address));
        }

        return members;
    }

    private static void DeviceSet(StringBuilder text, string name, Dictionary<string, List<(string Interface, IPAddress Address)>> members, string key)
    {
        var list = members.GetValueOrDefault(key) ?? [];
        foreach (var (family, addressType, addressFamily) in new[] { (V4, "ipv4_addr", AddressFamily.InterNetwork), (V6, "ipv6_addr", AddressFamily.InterNetworkV6) })
        {
            text.Append("\tset ").Append(name).Append('_').Append(family).Append(" {\n\t\ttype ifname . ").Append(addressType).Append('\n');
            Elements(text, list
                .Where(m => m.Address.AddressFamily == addressFamily)
                .OrderBy(m => m.Address.ToString(), StringComparer.Ordinal)
                .Select(m => Quote(m.Interface) + " . " + m.Address));
            text.Append("\t}\n");
        }
    }

    private static void EndpointSet(StringBuilder text, string name, NamedEndpoint endpoint)
    {
        foreach (var (family, addressType, addressFamily) in new[] { (V4, "ipv4_addr", AddressFamily.InterNetwork), (V6, "ipv6_addr", AddressFamily.InterNetworkV6) })
        {
            text.Append("\tset ").Append(name).Append('_').Append(family).Append(" {\n\t\ttype ").Append(addressType).Append("\n\t\tflags interval\n\t\tauto-merge\n");
            Elements(text, endpoint.Addresses.Where(a => a.BaseAddress.AddressFamily == addressFamily).Select(a => a.ToString()));
            text.Append("\t}\n");
        }
    }

    private static void GatewayRules(StringBuilder text, string set, DeviceClassPolicy policy)
    {
        var ports = policy.NetworkRules.Where(r => r.Service is not null).Select(r => r.Port).Distinct().Order().ToArray();
        if (ports.Length == 0)
        {
            return;
        }

        var portList = Ports(ports);
        text.Append("\t\tiifname . ip saddr @").Append(set).Append("_v4 tcp dport ").Append(portList).Append(" accept\n");
        text.Append("\t\tiifname . ip6 saddr @").Append(set).Append("_v6 tcp dport ").Append(portList).Append(" accept\n");
    }

    private static void EndpointRules(StringBuilder text, string set, DeviceClassPolicy policy, SegmentationPolicy zones)
    {
        var groups = policy.NetworkRules
            .Where(r => r.Endpoint is not null)
            .GroupBy(r => (r.Endpoint!, r.Protocol))
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Protocol);
        foreach (var group in groups)
        {
            var endpoint = zones.Endpoints.First(e => e.Name == group.Key.Item1);
            var protocol = group.Key.Protocol == NetworkProtocol.Tcp ? "tcp" : "udp";
            var ports = Ports(group.Select(r => r.Port).Distinct().Order().ToArray());
            var endpointSet = EndpointSet(zones, endpoint.Name);
            if (endpoint.Addresses.Any(a => a.BaseAddress.AddressFamily == AddressFamily.InterNetwork))
            {
                text.Append("\t\tiifname . ip saddr @").Append(set).Append("_v4 oifname ").Append(Quote(zones.UpstreamInterface))
                    .Append(" ip daddr @").Append(endpointSet).Append("_v4 ").Append(protocol).Append(" dport ").Append(ports).Append(" accept\n");
            }

            if (endpoint.Addresses.Any(a => a.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6))
            {
                text.Append("\t\tiifname . ip6 saddr @").Append(set).Append("_v6 oifname ").Append(Quote(zones.UpstreamInterface))
                    .Append(" ip6 daddr @").Append(endpointSet).Append("_v6 ").Append(protocol).Append(" dport ").Append(ports).Append(" accept\n");
            }
        }
    }

    private static void Elements(StringBuilder text, IEnumerable<string> elements)
    {
        var list = elements.ToArray();
        if (list.Length > 0)
        {
            text.Append("\t\telements = { ").Append(string.Join(", ", list)).Append(" }\n");
        }
    }

    private static string Ports(int[] ports) => ports.Length == 1
        ? ports[0].ToString(CultureInfo.InvariantCulture)
        : "{ " + string.Join(", ", ports.Select(p => p.ToString(CultureInfo.InvariantCulture))) + " }";

    // Set names are built from an index (unique) and the validated name with . and - made _,
    // so a reader of `nft list table` still sees which class a set is for.
    private static string ClassSet(int index, string name) => "class_" + index.ToString(CultureInfo.InvariantCulture) + "_" + Identifier(name);

    private static string EndpointSet(SegmentationPolicy zones, string name)
    {
        var index = 0;
        while (zones.Endpoints[index].Name != name)
        {
            index++;
        }

        return "endpoint_" + index.ToString(CultureInfo.InvariantCulture) + "_" + Identifier(name);
    }

    private static string Identifier(string name) => name.Replace('.', '_').Replace('-', '_');

    private static string Quote(string interfaceName) => "\"" + interfaceName + "\"";
}
