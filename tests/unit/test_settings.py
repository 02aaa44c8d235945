"""The settings as the environment gives them: defaults, booleans and integers parsed strictly, a bad value or a
missing required one refused at first use with the variable's name (a ``ConfigurationError``: a 500 and an alarm,
never a 4xx), other variables ignored."""

import dataclasses

import pytest

from vitrine.errors import ConfigurationError
from vitrine.settings import Settings, get_settings


def test_an_empty_environment_gives_the_defaults():
    settings = Settings.from_environment({})
    assert (settings.stage, settings.aws_region, settings.table_name) == ("dev", "us-east-1", None)
    assert settings.outbound_webhook_max_attempts == 6
    assert settings.erp_connector_interval_minutes == 3
    assert settings.local_plain_http is False and settings.outbound_allow_loopback is False
    assert settings.cep_lookup_base_url == "https://viacep.com.br/ws"
    assert settings.public_base_url == "" and settings.cdn_distribution_id == ""


def test_variables_are_read_by_their_names_and_others_ignored():
    settings = Settings.from_environment(
        {"TABLE_NAME": "vitrine-prod", "EVENT_BUS_NAME": "bus", "PATH": "/usr/bin", "table_name": "not this one"}
    )
    assert (settings.table_name, settings.event_bus_name) == ("vitrine-prod", "bus")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("1", True),
        ("YES", True),
        (" on ", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("Off", False),
    ],
)
def test_a_flag_takes_the_usual_words(raw, expected):
    assert Settings.from_environment({"LOCAL_PLAIN_HTTP": raw}).local_plain_http is expected


@pytest.mark.parametrize("raw", ["", "sim", "2", "truee"])
def test_any_other_flag_value_is_refused_with_its_name(raw):
    with pytest.raises(ConfigurationError, match="OUTBOUND_ALLOW_LOOPBACK must be true or false"):
        Settings.from_environment({"OUTBOUND_ALLOW_LOOPBACK": raw})


def test_an_integer_is_read_within_its_bounds():
    settings = Settings.from_environment(
        {"OUTBOUND_WEBHOOK_MAX_ATTEMPTS": "8", "ERP_CONNECTOR_INTERVAL_MINUTES": "1440"}
    )
    assert (settings.outbound_webhook_max_attempts, settings.erp_connector_interval_minutes) == (8, 1440)


@pytest.mark.parametrize(
    ("name", "raw", "reason"),
    [
        ("OUTBOUND_WEBHOOK_MAX_ATTEMPTS", "0", "must be >= 1"),
        ("OUTBOUND_WEBHOOK_MAX_ATTEMPTS", "six", "must be an integer"),
        ("OUTBOUND_WEBHOOK_MAX_ATTEMPTS", "6.0", "must be an integer"),
        ("ERP_CONNECTOR_INTERVAL_MINUTES", "1441", "must be >= 1 and <= 1440"),
        ("ERP_CONNECTOR_INTERVAL_MINUTES", "", "must be an integer"),
    ],
)
def test_a_bad_integer_is_refused_with_its_name(name, raw, reason):
    with pytest.raises(ConfigurationError, match=f"{name} {reason}"):
        Settings.from_environment({name: raw})


def test_a_required_setting_that_is_missing_names_its_variable():
    settings = Settings.from_environment({"TABLE_NAME": ""})
    with pytest.raises(ConfigurationError, match="environment variable TABLE_NAME is not set"):
        settings.require("table_name")
    assert Settings.from_environment({"TABLE_NAME": "t"}).require("table_name") == "t"


def test_settings_are_read_once_at_first_use_and_cannot_be_changed(monkeypatch):
    monkeypatch.setenv("ERP_CONNECTOR_INTERVAL_MINUTES", "0")
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError, match="ERP_CONNECTOR_INTERVAL_MINUTES"):
        get_settings()
    monkeypatch.setenv("ERP_CONNECTOR_INTERVAL_MINUTES", "5")
    get_settings.cache_clear()
    settings = get_settings()
    assert settings is get_settings() and settings.erp_connector_interval_minutes == 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.stage = "prod"  # type: ignore[misc]
    get_settings.cache_clear()


def test_the_templates_default_platform_recipient_empty_means_no_split():
    # Given the template's default (PagarmePlatformRecipientId ""), as every function that reads the gateway's
    # settings gets it: the catalog's views (their ETag names the card tokenization) answered 422 with it
    from local_stack.template import load_template
    from vitrine.payments.settings import GatewaySettings

    default = load_template()["Parameters"]["PagarmePlatformRecipientId"]["Default"]
    assert GatewaySettings.model_validate({"PAGARME_PLATFORM_RECIPIENT_ID": default}).platform_recipient_id == ""
    assert GatewaySettings.model_validate({"PAGARME_PLATFORM_RECIPIENT_ID": "rp_1"}).platform_recipient_id == "rp_1"
    with pytest.raises(ValueError, match="PAGARME_PLATFORM_RECIPIENT_ID"):
        GatewaySettings.model_validate({"PAGARME_PLATFORM_RECIPIENT_ID": "rp 1; drop"})
