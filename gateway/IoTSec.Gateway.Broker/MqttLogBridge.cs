using System;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MQTTnet.Diagnostics.Logger;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// MQTTnet's log into the gateway's, so nothing MQTTnet catches goes unseen: its errors (an
/// exception that ends a device's connection, a failed dispatch) as errors; its warnings —
/// mostly a device dropping its connection, routine in a fleet and cheap for a peer to cause —
/// at debug, so they cannot flood the journal. Its verbose and info lines (one per packet) are
/// dropped before they are formatted.
/// </summary>
internal sealed partial class MqttLogBridge(ILogger logger) : IMqttNetLogger
{
    private readonly ILogger _logger = logger ?? throw new ArgumentNullException(nameof(logger));

    public bool IsEnabled => _logger.IsEnabled(LogLevel.Error);

    public void Publish(MqttNetLogLevel level, string source, string message, object[] parameters, Exception exception)
    {
        if (level < MqttNetLogLevel.Warning || (level == MqttNetLogLevel.Warning && !_logger.IsEnabled(LogLevel.Debug)))
        {
            return;
        }

        var text = parameters is { Length: > 0 } ? string.Format(CultureInfo.InvariantCulture, message ?? string.Empty, parameters) : message ?? string.Empty;
        if (level == MqttNetLogLevel.Error)
        {
            LogError(_logger, source ?? "MQTTnet", text, exception);
        }
        else
        {
            LogWarning(_logger, source ?? "MQTTnet", text, exception);
        }
    }

    [LoggerMessage(EventId = 3501, Level = LogLevel.Error, Message = "MQTTnet {Source}: {Text}")]
    private static partial void LogError(ILogger logger, string source, string text, Exception? error);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Debug, Message = "MQTTnet {Source}: {Text}")]
    private static partial void LogWarning(ILogger logger, string source, string text, Exception? error);
}
