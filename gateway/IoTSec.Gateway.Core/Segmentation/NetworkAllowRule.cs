namespace IoTSec.Gateway.Core.Segmentation;

/// <summary>
/// One flow a device class may open: to one of the gateway's own services, or to a named
/// endpoint with a protocol and port. Everything not listed is dropped (default deny).
/// </summary>
/// <param name="Service">The gateway service, when the rule is <c>to: gateway</c>; otherwise null.</param>
/// <param name="Endpoint">The named endpoint, when the rule is <c>to: NAME</c>; otherwise null.</param>
/// <param name="Protocol">The protocol towards the endpoint (TCP for gateway services).</param>
/// <param name="Port">The destination port (the service's port for gateway services).</param>
public sealed record NetworkAllowRule(GatewayService? Service, string? Endpoint, NetworkProtocol Protocol, int Port)
{
    /// <summary>The rule as written: <c>gateway.broker</c> or <c>cloud tcp/443</c>.</summary>
    public override string ToString() => Service is { } service
        ? "gateway." + service.ToString().ToLowerInvariant()
        : $"{Endpoint} {Protocol.ToString().ToLowerInvariant()}/{Port}";
}
