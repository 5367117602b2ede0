using System.Collections.Generic;

namespace IoTSec.Gateway.Core.Segmentation;

/// <summary>An nftables ruleset rendered from a policy, and the devices that got no rule (with why).</summary>
/// <param name="Ruleset">The text for <c>nft -f</c>: replaces table <c>inet iotsec</c> atomically.</param>
/// <param name="Skipped">One line per device left out ("device-id: reason"); its traffic is dropped by default.</param>
public sealed record RenderedFirewall(string Ruleset, IReadOnlyList<string> Skipped);
