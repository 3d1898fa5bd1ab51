/** The engine controller, handed to components through context like the store. */
import { createContext, useContext } from 'react';
import type { EngineController } from './engine-controller';

export const ControllerContext = createContext<EngineController | null>(null);

export function useController(): EngineController {
  const controller = useContext(ControllerContext);
  if (!controller) throw new Error('useController must be used inside <ControllerContext.Provider>');
  return controller;
}
