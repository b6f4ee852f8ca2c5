"""MkDocs hooks for the guidance site: a thin adapter over the forumguide package.

The hooks only move data between MkDocs and the package: they load and check the records once, hand the
generated pages and open-data files to MkDocs as virtual files, and give mkdocs-macros the figures the
hand-written pages print. Page content, links and escaping live in `forumguide.site.pages`; nothing here is
fetched over the network.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from forumguide.records.load import load
from forumguide.records.model import Guidance
from forumguide.site import minify, pages
from forumguide.site.citations import bibliography_for

log = logging.getLogger("mkdocs.hooks.forumguide")

WATCHED = ("guidance", "checklist", "schema")


@dataclass
class _Build:
    root: Path
    guidance: Guidance
    nav: Navigation | None = None


# Per-build state: replaced by every on_config (each build, including every `mkdocs serve` rebuild,
# starts with on_config), read by the later events of the same build.
_build: _Build | None = None


# -----------------------------------------------------------------------------------------------------
# Configuration: load and check the records once; name the site and expose figures to mkdocs-macros
# -----------------------------------------------------------------------------------------------------


@event_priority(100)  # before mkdocs-macros' on_config, which copies config.extra into its variables
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    root = Path(config.config_file_path).resolve().parent
    report = load(root)
    if not report.ok:
        problems = "\n".join(f"  {p}" for p in report.errors)
        raise PluginError(
            f"The guidance records have {len(report.errors)} error(s); nothing was built:\n{problems}"
        )
    if report.warnings:
        log.info(
            "forumguide: %d record warning(s); run `forumguide validate` to see them.", len(report.warnings)
        )
    g = report.guidance
    _build = _Build(root, g)

    release = g.release or {}
    if release.get("title"):
        # Escaped once, as Markup: Material prints site_name both raw and through `| e`, and Markup
        # reads the same in both places.
        config.site_name = escape(release["title"])
    version = f"Guidance version {escape(g.version)}" + (
        f" ({escape(release['date'])})" if release.get("date") else ""
    )
    config.copyright = (
        f"{version}. Content licensed under CC BY 4.0; code under the MIT licence. Not clinical advice."
    )
    config.extra["forumguide"] = pages.site_variables(g, root, bibliography_for(g))
    return config


# -----------------------------------------------------------------------------------------------------
# Files: generated pages and open data become virtual files (MkDocs 1.6 File.generated)
# -----------------------------------------------------------------------------------------------------


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    if _build is None:
        raise RuntimeError("forumguide hooks: on_files ran before on_config")
    g, root = _build.guidance, _build.root
    generated = {
        **pages.build_pages(
            g, directory_urls=config.use_directory_urls, bibliography=bibliography_for(g), root=root
        ),
        **pages.open_data_files(g, root),
    }
    for path, content in generated.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(
                f"docs/{path} exists, but that page is generated from the records; remove the file."
            )
        files.append(File.generated(config, path, content=content))
    return files


# -----------------------------------------------------------------------------------------------------
# Menu: a detail page (not in the menu) highlights the entry of its section while it is rendered
# -----------------------------------------------------------------------------------------------------


def on_page_context(
    context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    section = pages.menu_section(page.file.src_uri)
    if section is not None and section != page.file.src_uri:
        for entry in nav.pages:
            if entry.file.src_uri == section:
                entry.active = True  # read by the theme's menu; cleared again in on_post_page
    return context


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    section = pages.menu_section(page.file.src_uri)
    if section is not None and _build is not None and _build.nav is not None:
        for entry in _build.nav.pages:
            if entry.file.src_uri == section and entry is not page:
                entry.active = False
    return pages.mark_current_menu_entries(output)


def on_post_build(*, config: MkDocsConfig) -> None:
    # Our scripts and stylesheets stay readable in docs/assets; the built site gets minified copies.
    minify.minify_built_assets(Path(config.docs_dir), Path(config.site_dir))


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    if _build is not None:
        _build.nav = nav
    return nav


# -----------------------------------------------------------------------------------------------------
# Serve: rebuild when records or schemas change
# -----------------------------------------------------------------------------------------------------


def on_serve(
    server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
) -> LiveReloadServer:
    root = Path(config.config_file_path).resolve().parent
    for folder in WATCHED:
        if (root / folder).is_dir():
            server.watch(str(root / folder))
    return server
