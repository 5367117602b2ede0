using System.Net;

namespace IoTSec.Gateway.Core.Segmentation;

/// <summary>
/// A device segment: the gateway interface its devices arrive on and the subnet their
/// addresses must lie in. A device address outside every segment gets no rule at all.
/// </summary>
/// <param name="Name">The segment's name in the policy.</param>
/// <param name="Interface">The gateway's interface name (1-15 of A-Z a-z 0-9 . _ -).</param>
/// <param name="Subnet">The segment's subnet.</param>
public sealed record DeviceSegment(string Name, string Interface, IPNetwork Subnet);
