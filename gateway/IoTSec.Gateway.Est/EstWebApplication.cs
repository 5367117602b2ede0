using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace IoTSec.Gateway.Est;

/// <summary>
/// The host the EST service runs in: an empty <see cref="WebApplicationBuilder"/> (no
/// configuration files, no default endpoints, no logging providers — the caller decides each)
/// with Kestrel and routing. The daemon adds its configuration, logging, systemd integration
/// and the rest of the gateway to it; the tests add a test hierarchy.
/// </summary>
public static class EstWebApplication
{
    /// <summary>A builder with Kestrel (HTTPS in code only) and routing.</summary>
    public static WebApplicationBuilder CreateBuilder(WebApplicationOptions? options = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(options ?? new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
        builder.Services.AddRoutingCore();
        return builder;
    }
}
