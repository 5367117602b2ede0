using IoTSec.Protocol.Provisioning;

namespace IoTSec.Provision.Profiles;

/// <summary>
/// What every unit of one product line gets: its configuration (device class, gateway,
/// heartbeat) and its trust anchors, read from a profile YAML file by <see cref="ProfileReader"/>.
/// Both parts have been checked by the protocol's own rules, so the device would accept them.
/// </summary>
/// <param name="Configuration">The configuration item.</param>
/// <param name="Anchors">The trust anchors (the gateway root and the OTA signing key).</param>
/// <param name="Development">True when the units are for development (hardening not required in batch mode).</param>
public sealed record ProvisioningProfile(ProvisioningConfiguration Configuration, TrustAnchorList Anchors, bool Development);
