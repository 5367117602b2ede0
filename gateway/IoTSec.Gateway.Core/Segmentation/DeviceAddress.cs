using System.Net;

namespace IoTSec.Gateway.Core.Segmentation;

/// <summary>
/// Where one device is on the network, as the inventory (or the DHCP leases the gateway
/// hands out) knows it: the firewall keys every device rule on this address and the
/// interface of the segment it lies in.
/// </summary>
/// <param name="DeviceId">The device id (from its certificate), for reports.</param>
/// <param name="ClassName">The device class: its <c>network</c> rules apply.</param>
/// <param name="Address">The device's address.</param>
/// <param name="Quarantined">True when quarantined: the quarantine class's rules apply instead.</param>
public sealed record DeviceAddress(string DeviceId, string ClassName, IPAddress Address, bool Quarantined);
