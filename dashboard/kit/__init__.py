"""What every page uses: component ids, tables, links, the severity look, the charts' theme."""
