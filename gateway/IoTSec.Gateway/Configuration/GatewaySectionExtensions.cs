using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Configuration;

/// <summary>Registers an options type for a section of the gateway's configuration, in one line.</summary>
public static class GatewaySectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <c>IoTSec:<paramref name="section"/></c>,
    /// validates it at start, and makes its members known keys (so a typo under the section is
    /// refused instead of silently falling back to a default). Add the type's
    /// <c>[OptionsValidator]</c> as an <see cref="IValidateOptions{TOptions}"/> singleton.
    /// </summary>
    /// <param name="services">The daemon's services.</param>
    /// <param name="configuration">The daemon's configuration.</param>
    /// <param name="section">The section under <c>IoTSec</c>, e.g. "Broker" or "Policy:Files"; empty: <c>IoTSec</c> itself.</param>
    public static OptionsBuilder<TOptions> AddGatewaySection<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(section);
        var path = section.Length == 0 ? YamlConfigurationFile.RootSection : YamlConfigurationFile.RootSection + ":" + section;
        services.AddSingleton(new ConfigurationSectionRegistration(path, typeof(TOptions)));
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(path)).ValidateOnStart();
    }

    /// <summary>
    /// Makes the members of <typeparamref name="TOptions"/> known keys under
    /// <c>IoTSec:<paramref name="section"/></c> without binding it, for a component whose own
    /// registration (<c>AddPosture</c>, <c>AddTamperMonitor</c>) binds and validates it.
    /// </summary>
    public static IServiceCollection AddGatewaySectionKeys<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(section);
        return services.AddSingleton(new ConfigurationSectionRegistration(YamlConfigurationFile.RootSection + ":" + section, typeof(TOptions)));
    }
}
