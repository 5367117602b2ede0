using System;
using IoTSec.Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Metrics;

/// <summary>Adds the Prometheus endpoint and the gateway's own counters to the daemon.</summary>
internal static class MetricsServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGatewaySection<MetricsOptions>(configuration, MetricsOptions.SectionName);
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddSingleton<MetricsEndpoint>();
        services.AddHostedService(provider => provider.GetRequiredService<MetricsEndpoint>());
        services.AddHostedService<RevocationMetrics>();
        return services;
    }
}
