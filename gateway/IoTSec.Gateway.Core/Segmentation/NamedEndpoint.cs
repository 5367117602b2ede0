using System.Collections.Generic;
using System.Net;

namespace IoTSec.Gateway.Core.Segmentation;

/// <summary>A named upstream service: the outbound allowlist is made of these (addresses or subnets).</summary>
/// <param name="Name">The endpoint's name in the policy, used by class rules (<c>to: NAME</c>).</param>
/// <param name="Addresses">Its addresses or subnets (IPv4 and IPv6).</param>
public sealed record NamedEndpoint(string Name, IReadOnlyList<IPNetwork> Addresses);
