"""Exchange rates: fetching (ECB reference rates, a crypto price source), storing per day, and history."""
