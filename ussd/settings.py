"""The hub's settings: from the environment (`VSLA_HUB_…`) or a TOML file (`--config`), the
environment winning; checked before the server starts, so that a missing secret or a bad
value stops it with a message naming the setting (exit status 2), never half-way.

Africa's Talking signs nothing it sends: the callback is protected by an unguessable path
token, an allow-list of service codes (and of source addresses where they are known), and
rate limits per phone number. Secrets are `SecretStr`: never printed, never logged.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from vsla.i18n import LANGUAGES


class HubSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VSLA_HUB_", extra="forbid", frozen=True)
    toml_file: ClassVar[Path | None] = None

    path_token: SecretStr = Field(
        description="the secret part of the callback paths: at least 16 characters"
    )
    pin_key: SecretStr = Field(description="the key of the PIN hashes: at least 16 characters")
    service_codes: list[str] = Field(
        min_length=1, description="the USSD codes this hub answers, like *384*123#"
    )
    allowed_sources: list[str] = Field(
        default_factory=list,
        description="addresses or networks the callbacks may come from (empty: any)",
    )
    hops_per_minute: int = Field(default=30, ge=1, description="per phone number")
    default_language: str = Field(default="en", description="for numbers no one registered")
    at_username: str | None = Field(default=None, description="Africa's Talking username")
    at_api_key: SecretStr | None = Field(default=None, description="Africa's Talking API key")
    at_sender_id: str | None = Field(default=None, description="the SMS sender id, if any")
    at_api_host: str | None = Field(
        default=None, description="Africa's Talking's API address (a test points it elsewhere)"
    )
    sms_every_seconds: float = Field(default=30, gt=0, description="how often the outbox is sent")
    replica_url: str | None = Field(
        default=None,
        description="a Litestream replica (file:///…, s3://…): the book is replicated to it",
    )
    staff_https: bool = Field(
        default=True,
        description=(
            "the staff pages' cookie is sent over HTTPS only (the hub behind TLS); false only "
            "on a private network without TLS, or in tests"
        ),
    )
    book_threads: int = Field(
        default=2,
        ge=1,
        le=64,
        description="threads that read and write the book for the callbacks at once",
    )

    @field_validator("path_token", "pin_key")
    @classmethod
    def _long_secret(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters, and unguessable")
        return value

    @field_validator("service_codes")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not code or any(c not in "0123456789*#" for c in code):
                raise ValueError(f"{code!r} is not a USSD code like *384*123#")
        return value

    @field_validator("allowed_sources")
    @classmethod
    def _sources(cls, value: list[str]) -> list[str]:
        for source in value:
            ipaddress.ip_network(source, strict=False)  # ValueError names a bad one
        return value

    @field_validator("default_language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if cls.toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=cls.toml_file))
        return tuple(sources)

    def source_allowed(self, address: str | None) -> bool:
        if not self.allowed_sources:
            return True
        if address is None:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in ipaddress.ip_network(s, strict=False) for s in self.allowed_sources)


def load_settings(config: Path | None = None, **overrides: Any) -> HubSettings:
    """The settings, or pydantic's ValidationError naming each bad one."""

    class FromFile(HubSettings):
        toml_file: ClassVar[Path | None] = config

    return FromFile(**overrides)


def problems_of(error: Exception) -> list[str]:
    """Each bad setting as `VSLA_HUB_NAME: what is wrong`, for the message at start-up."""
    errors = getattr(error, "errors", None)
    if not callable(errors):
        return [str(error)]
    found = []
    for item in errors():
        name = "_".join(str(part) for part in item.get("loc", ()) if isinstance(part, str))
        message = str(item.get("msg", "")).removeprefix("Value error, ")
        if item.get("type") == "missing":
            message = "missing"
        found.append(f"VSLA_HUB_{name.upper()}: {message}")
    return found
